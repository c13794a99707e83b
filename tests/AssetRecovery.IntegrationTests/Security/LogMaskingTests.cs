using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using AssetRecovery.Freeze;
using AssetRecovery.IntegrationTests.Freeze;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.IntegrationTests.VictimClaim;
using AssetRecovery.ServiceDefaults;
using AssetRecovery.VictimClaim;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AssetRecovery.IntegrationTests.Security;

/// <summary>Logs leave the service (files, log shippers): no full ID number or account number may be written to them.</summary>
[Collection(SystemCollection.Name)]
public sealed class LogMaskingTests(Infrastructure.Infrastructure infrastructure) : IAsyncLifetime
{
    private const string FreezeAccount = "6222020200112233445";
    private TestSystem _system = null!;
    private readonly CapturingLoggerProvider _logs = new();

    public async Task InitializeAsync() => _system = await TestSystem.StartAsync(infrastructure);

    public async Task DisposeAsync() => await _system.DisposeAsync();

    [Fact]
    public async Task Filing_a_claim_and_submitting_a_freeze_log_no_full_ID_or_account_number()
    {
        var claims = _system.Start<VictimClaimService>("victim-claim", configureServices: s => s.AddSingleton<ILoggerProvider>(_logs));
        var freezes = _system.Start<FreezeService>("freeze", configureServices: s => s.AddSingleton<ILoggerProvider>(_logs));
        using var victim = claims.HttpClient(RunningService.Token(Roles.Victim, "victim-log"));
        using var liaison = freezes.HttpClient(RunningService.Token(Roles.BankLiaison, "officer-log"));

        var claim = ClaimRequests.Valid(caseNumber: "SZ-2026-300001");
        Assert.Equal(HttpStatusCode.Created, (await victim.PostAsJsonAsync("/api/claims", claim)).StatusCode);
        // A refused claim is logged too (with its path); so is one whose body echoes the ID number back in an error.
        Assert.Equal(HttpStatusCode.BadRequest,
            (await victim.PostAsJsonAsync("/api/claims", claim with { Payments = [] })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await liaison.PostAsJsonAsync("/api/freezes", FreezeRequests.Valid("SZ-2026-300001"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest,
            (await liaison.PostAsJsonAsync("/api/freezes", FreezeRequests.Valid("SZ-2026-300001") with { Currency = "XYZ" })).StatusCode);
        // The account number in a URL: a refused lookup logs the path.
        using var holds = await liaison.GetAsync($"/api/accounts/ICBC/{FreezeAccount}/holds?page=abc");
        Assert.True((int)holds.StatusCode is >= 200 and < 500);
        using var unknownHolds = await liaison.GetAsync("/api/accounts/ICBC/6222020200999999999/holds");
        // The victim's notification is logged by the default channel: wait for it, so the test sees that path too.
        await Eventually.Until(() => Task.FromResult(_logs.Text), text => text.Contains("Notification", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), "the claim notification to be logged");

        var text = _logs.Text;
        Assert.True(_logs.Count > 0 && text.Contains("refused", StringComparison.Ordinal), "the capture saw no request logs: " + text);
        foreach (var secret in new[] { ClaimRequests.IdNumber, FreezeAccount, "6217000000000000001", "6222020200999999999", TracedCase.MuleOne })
            if (text.Contains(secret, StringComparison.Ordinal)) Assert.Fail($"the logs hold {secret} in full:\n{Excerpt(text, secret)}");
    }

    [Theory]
    [InlineData("/api/accounts/ICBC/6222020200112233445/holds", "/api/accounts/ICBC/***************3445/holds")]
    [InlineData("id 44030119900101123X filed", "id **************123X filed")]
    [InlineData("claim 0193f2a4-7b1c-7d2e-9f00-123456789abc", "claim 0193f2a4-7b1c-7d2e-9f00-123456789abc")]
    [InlineData("case SZ-2026-000333, 600.00 CNY on 2026-03-01", "case SZ-2026-000333, 600.00 CNY on 2026-03-01")]
    public void Masking_keeps_the_last_four_characters_of_long_numbers_and_leaves_the_rest(string text, string masked) =>
        Assert.Equal(masked, SensitiveData.Mask(text));

    private static string Excerpt(string text, string secret)
    {
        var at = text.IndexOf(secret, StringComparison.Ordinal);
        var line = text.LastIndexOf('\n', at) + 1;
        var end = text.IndexOf('\n', at);
        return text[line..(end < 0 ? text.Length : end)];
    }
}

/// <summary>Keeps every log entry as text: the formatted message, each structured value and any exception.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    public int Count => _entries.Count;
    public string Text => string.Join("\n", _entries);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose() { }

    private sealed class Logger(string category, ConcurrentQueue<string> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            entries.Enqueue($"{logLevel} {category}: {formatter(state, exception)} | {values} {exception}");
        }
    }
}
