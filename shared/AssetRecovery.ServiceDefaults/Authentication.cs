using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace AssetRecovery.ServiceDefaults;

public sealed class AuthOptions
{
    public const string Section = "Auth";
    public string Issuer { get; set; } = DevelopmentTokens.Issuer;
    public string Audience { get; set; } = DevelopmentTokens.Audience;
    /// <summary>Symmetric signing key (at least 32 bytes). Outside Development it must come from configuration or a secret store.</summary>
    public string? SigningKey { get; set; }
    /// <summary>An OIDC authority whose keys sign the tokens (production). When set, SigningKey is not used.</summary>
    public string? Authority { get; set; }
    /// <summary>
    /// A bank liaison officer's token must name their bank (claim bank_code), which scopes what they see and submit.
    /// Unset: required everywhere but Development, whose hand-made tokens may leave it out.
    /// </summary>
    public bool? RequireLiaisonBankCode { get; set; }
}

/// <summary>Whether a bank liaison token without bank_code is refused (see <see cref="AuthOptions.RequireLiaisonBankCode"/>).</summary>
public sealed record LiaisonBankCodeRule(bool Required)
{
    public bool Refuses(ClaimsPrincipal user) => Required && user.IsBankLiaisonOnly() && user.LiaisonBank() is null;
}

/// <summary>
/// Development-only bearer tokens, signed with a key that only a Development host accepts.
/// deploy/token.sh reads the same key from this file.
/// </summary>
public static class DevelopmentTokens
{
    public const string Issuer = "assetrecovery-dev";
    public const string Audience = "assetrecovery";
    public const string SigningKey = "assetrecovery-development-signing-key-not-for-production-use";

    public static string Create(string role, string subject, string? name = null, TimeSpan? lifetime = null,
        IEnumerable<Claim>? extraClaims = null, DateTimeOffset? now = null)
    {
        var issuedAt = now ?? DateTimeOffset.UtcNow;
        var claims = new List<Claim> { new(JwtClaims.Subject, subject), new(JwtClaims.Name, name ?? subject), new(JwtClaims.Role, role) };
        if (extraClaims is not null) claims.AddRange(extraClaims);
        var token = new JwtSecurityToken(
            Issuer, Audience, claims,
            notBefore: issuedAt.UtcDateTime.AddSeconds(-5),
            expires: issuedAt.Add(lifetime ?? TimeSpan.FromHours(8)).UtcDateTime,
            signingCredentials: new SigningCredentials(
                new SymmetricSecurityKey(Encoding.UTF8.GetBytes(SigningKey)), SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }
}

internal static class Authentication
{
    public static void AddRoleAuthentication(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var options = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        var signingKey = options.SigningKey;
        if (string.IsNullOrEmpty(options.Authority) && string.IsNullOrEmpty(signingKey))
        {
            if (!environment.IsDevelopment())
                throw new InvalidOperationException("Auth:SigningKey or Auth:Authority must be configured outside Development.");
            signingKey = DevelopmentTokens.SigningKey;
        }
        if (!environment.IsDevelopment() && signingKey == DevelopmentTokens.SigningKey)
            throw new InvalidOperationException("The development signing key is refused outside Development.");

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.Authority = string.IsNullOrEmpty(options.Authority) ? null : options.Authority;
                jwt.RequireHttpsMetadata = !environment.IsDevelopment();
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateIssuer = true,
                    ValidIssuer = options.Issuer,
                    ValidateAudience = true,
                    ValidAudience = options.Audience,
                    ValidateLifetime = true,
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    ClockSkew = TimeSpan.FromSeconds(30),
                    ValidAlgorithms = string.IsNullOrEmpty(options.Authority) ? [SecurityAlgorithms.HmacSha256] : null,
                    IssuerSigningKey = signingKey is null ? null : new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)),
                    NameClaimType = JwtClaims.Name,
                    RoleClaimType = JwtClaims.Role,
                };
            });
        services.AddSingleton(new LiaisonBankCodeRule(options.RequireLiaisonBankCode ?? !environment.IsDevelopment()));
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
    }
}
