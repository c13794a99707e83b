using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using AssetRecovery.Freeze;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.ServiceDefaults;
using Microsoft.IdentityModel.Tokens;

namespace AssetRecovery.IntegrationTests.Security;

/// <summary>Only a token signed with the configured key, for this audience and issuer, within its lifetime, is accepted.</summary>
[Collection(SystemCollection.Name)]
public sealed class JwtValidationTests(Infrastructure.Infrastructure infrastructure) : IAsyncLifetime
{
    private const string ReadPath = "/api/freezes?caseNumber=SZ-2026-000001";
    private TestSystem _system = null!;
    private ServiceHost<FreezeService> _service = null!;

    public async Task InitializeAsync()
    {
        _system = await TestSystem.StartAsync(infrastructure);
        _service = _system.Start<FreezeService>("freeze");
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();

    public static TheoryData<string, string?> BadTokens()
    {
        var now = DateTimeOffset.UtcNow;
        var valid = DevelopmentTokens.Create(Roles.Investigator, "inspector-wu");
        var parts = valid.Split('.');
        var header = Base64Url("""{"alg":"none","typ":"JWT"}""");
        return new TheoryData<string, string?>
        {
            { "no token", null },
            { "not a JWT", "not-a-jwt" },
            // Beyond the 30 s clock skew on either side.
            { "expired", DevelopmentTokens.Create(Roles.Investigator, "inspector-wu", lifetime: TimeSpan.FromHours(1), now: now.AddHours(-2)) },
            { "not yet valid", DevelopmentTokens.Create(Roles.Investigator, "inspector-wu", now: now.AddHours(1)) },
            { "wrong signature", Token(DevelopmentTokens.Issuer, DevelopmentTokens.Audience, "a-different-signing-key-of-at-least-32-bytes!!") },
            { "payload changed after signing", parts[0] + "." + Base64Url("""{"sub":"inspector-wu","role":"Court","iss":"assetrecovery-dev","aud":"assetrecovery","exp":4102444800}""") + "." + parts[2] },
            { "wrong audience", Token(DevelopmentTokens.Issuer, "some-other-api") },
            { "wrong issuer", Token("https://evil.example", DevelopmentTokens.Audience) },
            { "alg none", header + "." + parts[1] + "." },
            { "alg none with the original signature", header + "." + parts[1] + "." + parts[2] },
            // The right key with another algorithm: only HS256 is accepted.
            { "HS384 instead of HS256", Token(DevelopmentTokens.Issuer, DevelopmentTokens.Audience, algorithm: SecurityAlgorithms.HmacSha384) },
            { "no expiry", Token(DevelopmentTokens.Issuer, DevelopmentTokens.Audience, expires: false) },
        };
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_bad_token_is_answered_401_ProblemDetails_and_writes_nothing(string why, string? token)
    {
        using var client = _service.HttpClient(token);
        using var read = await client.GetAsync(ReadPath);
        using var write = await client.PostAsJsonAsync("/api/freezes", Freeze.FreezeRequests.Valid("SZ-2026-000001"));

        foreach (var response in new[] { read, write })
        {
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{why}: {(int)response.StatusCode}");
            Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
            await ApiSurface.AssertProblemAsync(response, why);
        }
        Assert.Equal(0, await _system.CountEventsAsync());
    }

    [Fact]
    public async Task The_same_request_with_a_good_token_is_answered_so_the_refusals_are_about_the_token()
    {
        using var client = _service.HttpClient(Token(DevelopmentTokens.Issuer, DevelopmentTokens.Audience));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(ReadPath)).StatusCode);
        using var development = _service.HttpClient(DevelopmentTokens.Create(Roles.Investigator, "inspector-wu"));
        Assert.Equal(HttpStatusCode.OK, (await development.GetAsync(ReadPath)).StatusCode);
    }

    private static string Token(string issuer, string audience, string key = DevelopmentTokens.SigningKey,
        string algorithm = SecurityAlgorithms.HmacSha256, bool expires = true)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer, Audience = audience, NotBefore = now.AddSeconds(-5), IssuedAt = now.AddSeconds(-5),
            Expires = expires ? now.AddHours(1) : null,
            Subject = new ClaimsIdentity([new Claim(JwtClaims.Subject, "inspector-wu"), new Claim(JwtClaims.Role, Roles.Investigator)]),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), algorithm),
        };
        var handler = new JwtSecurityTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.WriteToken(handler.CreateJwtSecurityToken(descriptor));
    }

    private static string Base64Url(string json) => Base64UrlEncoder.Encode(json);
}
