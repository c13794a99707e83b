using System.Net;
using System.Net.Http.Json;
using System.Text;
using AssetRecovery.Freeze;
using AssetRecovery.IntegrationTests.Freeze;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.IntegrationTests.VictimClaim;
using AssetRecovery.ServiceDefaults;
using AssetRecovery.VictimClaim;

namespace AssetRecovery.IntegrationTests.Security;

/// <summary>Request size limits (413), per-client rate limits (429) and the security headers on every answer.</summary>
[Collection(SystemCollection.Name)]
public sealed class HttpLimitsTests(Infrastructure.Infrastructure infrastructure) : IAsyncLifetime
{
    private TestSystem _system = null!;

    public async Task InitializeAsync() => _system = await TestSystem.StartAsync(infrastructure);

    public async Task DisposeAsync() => await _system.DisposeAsync();

    [Fact]
    public async Task A_body_over_1_MB_is_refused_413_ProblemDetails_and_writes_nothing()
    {
        var service = _system.Start<FreezeService>("freeze");
        using var client = service.HttpClient(RunningService.Token(Roles.BankLiaison));
        using var oversized = await client.PostAsJsonAsync("/api/freezes", Padded(1024 * 1024 + 1));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversized.StatusCode);
        await ApiSurface.AssertProblemAsync(oversized, "oversized freeze request");
        Assert.Equal(0, await _system.CountEventsAsync());
        // Just under the limit is fine: the limit is on the size, not on any field.
        using var fits = await client.PostAsJsonAsync("/api/freezes", Padded(1900));
        Assert.Equal(HttpStatusCode.Created, fits.StatusCode);
    }

    /// <summary>Kestrel itself, with a chunked body that declares no length: the limit must hold while the body is read.</summary>
    [Fact]
    public async Task On_Kestrel_a_chunked_body_over_1_MB_is_refused_413_ProblemDetails_and_writes_nothing()
    {
        await using var process = new ServiceProcess("freeze", "AssetRecovery.Freeze.Api", _system.Settings("freeze"));
        await process.StartAsync();
        using var client = new HttpClient { BaseAddress = process.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", RunningService.Token(Roles.BankLiaison));
        var body = new StreamContent(new NonSeekable(Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(Padded(2 * 1024 * 1024)))));
        body.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/freezes") { Content = body };

        using var response = await client.SendAsync(request);

        Assert.Null(request.Content.Headers.ContentLength);
        Assert.True(request.Headers.TransferEncodingChunked == true || request.Content.Headers.ContentLength is null);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await ApiSurface.AssertProblemAsync(response, "chunked oversized freeze request");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(0, await _system.CountEventsAsync());
    }

    private static Clients.Freeze.SubmitFreezeRequest Padded(int reasonLength) =>
        FreezeRequests.Valid("SZ-2026-200001") with { Reason = new string('r', reasonLength) };

    [Fact]
    public async Task A_bulk_upload_may_be_larger_than_1_MB_but_not_larger_than_the_bulk_limit()
    {
        var service = _system.Start<FreezeService>("freeze", new Dictionary<string, string?> { ["HttpLimits:MaxBulkUploadBodyBytes"] = "3000000" });
        using var client = service.HttpClient(RunningService.Token(Roles.Investigator));
        // About 1.6 MB of CSV: 20,000 bank transactions.
        var csv = new StringBuilder("transaction_id,timestamp,from_account,to_account,amount,currency,channel,victim_id\n");
        for (var i = 0; i < 20_000; i++)
            csv.Append($"T{i:D6},2026-03-01T09:00:00Z,6217000000000000001,6222020200000000001,1.00,CNY,Transfer,\n");
        Assert.InRange(csv.Length, 1024 * 1024 + 1, 3_000_000);
        using var imported = await client.PostAsync("/api/cases/SZ-2026-200002/transactions", ApiSurface.Json(csv.ToString(), "text/csv"));
        Assert.True(imported.StatusCode == HttpStatusCode.OK, await imported.Content.ReadAsStringAsync());

        var events = await _system.CountEventsAsync();
        csv.Append(csv.ToString()); // about 3.2 MB: over the configured bulk limit
        using var tooLarge = await client.PostAsync("/api/cases/SZ-2026-200003/transactions", ApiSurface.Json(csv.ToString(), "text/csv"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        await ApiSurface.AssertProblemAsync(tooLarge, "oversized import");
        Assert.Equal(events, await _system.CountEventsAsync());
    }

    [Fact]
    public async Task A_client_over_its_rate_limit_gets_429_ProblemDetails_with_Retry_After_and_other_clients_do_not()
    {
        var service = _system.Start<FreezeService>("freeze", new Dictionary<string, string?>
        {
            ["RateLimiting:PermitLimit"] = "5", ["RateLimiting:Window"] = "00:01:00",
        });
        using var busy = service.HttpClient(RunningService.Token(Roles.Investigator, "busy-officer"));
        const string read = "/api/freezes?caseNumber=SZ-2026-200004";
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync(read)).StatusCode);

        using var limited = await busy.GetAsync(read);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        await ApiSurface.AssertProblemAsync(limited, "rate limited");
        var retryAfter = int.Parse(limited.Headers.GetValues("Retry-After").Single());
        Assert.InRange(retryAfter, 1, 60);
        // A write is refused as well, before it does anything.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await busy.PostAsJsonAsync("/api/freezes", FreezeRequests.Valid("SZ-2026-200004"))).StatusCode);
        Assert.Equal(0, await _system.CountEventsAsync());

        // Partitioned by the token's subject: a colleague is not held up, and health checks never are.
        using var colleague = service.HttpClient(RunningService.Token(Roles.Investigator, "other-officer"));
        Assert.Equal(HttpStatusCode.OK, (await colleague.GetAsync(read)).StatusCode);
        for (var i = 0; i < 10; i++) Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task Every_answer_carries_the_security_headers_and_the_portal_keeps_its_own_policy()
    {
        var service = _system.Start<VictimClaimService>("victim-claim");
        using var victim = service.HttpClient(RunningService.Token(Roles.Victim));
        using var anonymous = service.HttpClient();
        var answers = new Dictionary<string, HttpResponseMessage>
        {
            ["200 API"] = await victim.GetAsync("/api/claims"),
            ["201 API"] = await victim.PostAsJsonAsync("/api/claims", ClaimRequests.Valid()),
            ["400 API"] = await victim.PostAsync("/api/claims", ApiSurface.Json("{")),
            ["401"] = await anonymous.GetAsync("/api/claims"),
            ["403"] = await service.HttpClient(RunningService.Token(Roles.Court)).GetAsync("/api/claims"),
            ["404"] = await victim.GetAsync("/api/nothing-here"),
            ["OpenAPI"] = await anonymous.GetAsync("/swagger/v1/swagger.json"),
            ["health"] = await anonymous.GetAsync("/health/live"),
            ["portal"] = await anonymous.GetAsync("/portal/"),
        };
        Assert.Equal(HttpStatusCode.Created, answers["201 API"].StatusCode);
        foreach (var (what, response) in answers)
        {
            Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var nosniff) && nosniff.Single() == "nosniff", what);
            Assert.True(response.Headers.TryGetValues("X-Frame-Options", out var frames) && frames.Single() == "DENY", what);
            Assert.True(response.Headers.TryGetValues("Referrer-Policy", out var referrer) && referrer.Single() == "no-referrer", what);
        }
        var portal = answers["portal"];
        Assert.Equal(HttpStatusCode.OK, portal.StatusCode);
        Assert.Contains("frame-ancestors 'none'", portal.Headers.GetValues("Content-Security-Policy").Single());
    }

    private sealed class NonSeekable(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
