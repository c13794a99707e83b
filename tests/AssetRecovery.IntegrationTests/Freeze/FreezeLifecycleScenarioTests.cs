using System.Net;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Freeze;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AssetRecovery.IntegrationTests.Freeze;

/// <summary>
/// The interception lifecycle through the Refit client, on a clock the test moves: the saga's deadlines go through the
/// durable scheduler, whose dispatcher reads the same clock.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class FreezeLifecycleScenarioTests(Infrastructure.Infrastructure infrastructure) : IAsyncLifetime
{
    private static readonly TimeSpan LongToken = TimeSpan.FromDays(3 * 366); // valid whichever clock the token check reads
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private TestSystem _system = null!;
    private IFreezeApi _liaison = null!;
    private IFreezeApi _investigator = null!;

    public async Task InitializeAsync()
    {
        _system = await TestSystem.StartAsync(infrastructure);
        var freeze = _system.Start<FreezeService>("freeze", configureServices: services => services.AddSingleton<TimeProvider>(_clock));
        _liaison = freeze.Client<IFreezeApi>(Roles.BankLiaison, "officer-li", LongToken);
        _investigator = freeze.Client<IFreezeApi>(Roles.Investigator, "inspector-wu", LongToken);
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();

    [Fact]
    public async Task Stop_payment_then_a_second_stop_then_a_freeze_reminded_renewed_and_lapsed()
    {
        var caseNumber = FreezeRequests.NewCaseNumber();
        const string account = "6222020200555566667";
        SubmitFreezeRequest Request(FreezeKind kind, string document) =>
            FreezeRequests.Valid(caseNumber, 80_000m, kind) with { AccountNumber = account, LegalDocumentReference = document };

        // First stop-payment: 48 hours from execution, reminded 6 hours before, then it lapses.
        var stop1 = await SubmitAndExecute(Request(FreezeKind.StopPayment, "STOP-1"));
        Assert.Equal(_clock.GetUtcNow().AddHours(48), stop1.ExpiresAt);
        _clock.Advance(TimeSpan.FromHours(42));
        await Until(stop1.FreezeId, v => v.History.Any(h => h.Event == nameof(FreezeExpiryReminderIssued)), "the stop-payment reminder");
        _clock.Advance(TimeSpan.FromHours(6));
        var lapsed = await Until(stop1.FreezeId, v => v.Status == "Lapsed" && v.Workflow?.State == "Ended", "the stop-payment to lapse");
        Assert.False(lapsed.Workflow!.TermEndScheduled);

        // A second stop is allowed once; a third is not.
        var stop2 = await SubmitAndExecute(Request(FreezeKind.StopPayment, "STOP-2"));
        var third = await _liaison.SubmitAsync(Request(FreezeKind.StopPayment, "STOP-3"));
        Assert.Equal(HttpStatusCode.Conflict, third.StatusCode);
        Assert.Contains("stop-payment.limit-reached", third.ErrorContent());

        // Within its window the stop becomes a formal freeze: six months from the bank's execution.
        _clock.Advance(TimeSpan.FromHours(20));
        var freeze = await SubmitAndExecute(Request(FreezeKind.Freeze, "FRZ-1"));
        Assert.Equal(stop2.FreezeId, freeze.ConvertsStopPaymentId);
        var converted = await Until(stop2.FreezeId, v => v.Workflow?.State == "Ended", "the stop-payment to end as converted");
        Assert.Equal("Converted", converted.Status);
        Assert.Equal(freeze.FreezeId, converted.ConvertedToFreezeId);
        var executedAt = freeze.ExecutedAt!.Value;
        Assert.Equal(executedAt.AddMonths(6), freeze.ExpiresAt);

        // Reminder seven days before expiry.
        _clock.SetUtcNow(executedAt.AddMonths(6).AddDays(-7).AddMinutes(1));
        await Until(freeze.FreezeId, v => v.History.Any(h => h.Event == nameof(FreezeExpiryReminderIssued)), "the freeze reminder");

        // Renewed before expiry for the original term: the old term end no longer lapses it.
        var renewed = await _investigator.RenewAsync(freeze.FreezeId, new RenewFreezeRequest("SZPD-RNW-2026-17", "investigation continues"));
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        Assert.Equal(executedAt.AddMonths(12), renewed.Content!.ExpiresAt);
        await Until(freeze.FreezeId, v => v.Workflow?.ExpiresAt == executedAt.AddMonths(12), "the saga to move the term end");
        _clock.SetUtcNow(executedAt.AddMonths(6).AddMinutes(5));
        await Task.Delay(1500);
        Assert.Equal("FrozenInFull", (await _liaison.GetAsync(freeze.FreezeId)).Content!.Status);

        // The renewed term gets its own reminder; not renewed again, it lapses at the new expiry.
        _clock.SetUtcNow(executedAt.AddMonths(12).AddDays(-7).AddMinutes(1));
        await Until(freeze.FreezeId, v => v.History.Count(h => h.Event == nameof(FreezeExpiryReminderIssued)) == 2, "the renewed term's reminder");
        _clock.SetUtcNow(executedAt.AddMonths(12).AddMinutes(1));
        var end = await Until(freeze.FreezeId, v => v.Status == "Lapsed", "the freeze to lapse");
        Assert.Equal(
            ["FreezeRequested", "FreezeExecutedByBank", "FreezeExpiryReminderIssued", "FreezeRenewed", "FreezeExpiryReminderIssued", "FreezeLapsed"],
            end.History.Select(h => h.Event));
        Assert.Equal("inspector-wu", end.History.Single(h => h.Event == "FreezeRenewed").By!.Subject);

        var holds = (await _liaison.GetAccountHoldsAsync("ICBC", account)).Content!;
        Assert.Equal([("StopPayment", "Lapsed"), ("StopPayment", "Converted"), ("Freeze", "Lapsed")],
            holds.Holds.Select(h => (h.Kind.ToString(), h.EndReason!)));
    }

    [Fact]
    public async Task A_queued_freeze_takes_effect_when_the_earlier_case_releases_the_account()
    {
        const string account = "6222020200777788889";
        var first = await SubmitAndExecute(FreezeRequests.Valid("SZ-2026-000001", 10_000m) with { AccountNumber = account });

        var queued = await _liaison.SubmitAsync(FreezeRequests.Valid("SZ-2026-000002", 4_000m) with { AccountNumber = account });
        Assert.Equal(HttpStatusCode.Created, queued.StatusCode);
        Assert.Equal("Queued", queued.Content!.Status);
        Assert.Null(queued.Content.AcknowledgementDueAt);
        var queuedId = queued.Content.FreezeId;
        await Until(queuedId, v => v.Workflow?.State == "Queued", "the saga to hold it queued");
        var early = await _liaison.RecordBankExecutionAsync(queuedId, new RecordBankExecutionRequest(BankExecutionOutcome.FrozenInFull));
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("freeze.queued", early.ErrorContent());

        // A release in part leaves the first hold in force: still queued.
        var part = await _investigator.ReleaseAsync(first.FreezeId, new ReleaseFreezeRequest("holder's own salary", "SZPD-REL-1", 2_500.25m));
        Assert.Equal(7_499.75m, part.Content!.FrozenAmount!.Amount);
        Assert.Equal("Queued", (await _liaison.GetAsync(queuedId)).Content!.Status);

        var whole = await _investigator.ReleaseAsync(first.FreezeId, new ReleaseFreezeRequest("court order lifted", "SZPD-REL-2"));
        Assert.Equal("Released", whole.Content!.Status);
        Assert.Equal(10_000m, whole.Content.Released!.Amount);

        var activated = await Until(queuedId, v => v.Workflow?.State == "AwaitingBankExecution", "the queued freeze to take effect");
        Assert.Equal("AwaitingBankExecution", activated.Status);
        Assert.Equal(_clock.GetUtcNow().AddHours(24), activated.AcknowledgementDueAt);
        Assert.True(activated.Workflow!.AcknowledgementTimeoutScheduled);
        Assert.Equal(HttpStatusCode.OK,
            (await _liaison.RecordBankExecutionAsync(queuedId, new RecordBankExecutionRequest(BankExecutionOutcome.FrozenInFull))).StatusCode);

        var holds = (await _investigator.GetAccountHoldsAsync("ICBC", account)).Content!;
        Assert.Equal([(1, first.FreezeId, "Ended"), (2, queuedId, "Active")], holds.Holds.Select(h => (h.Position, h.FreezeId, h.HoldState)));
    }

    [Fact]
    public async Task Frozen_money_handed_over_to_seizure_is_no_longer_frozen_and_frees_the_account()
    {
        const string account = "6222020200444455556";
        var freeze = await SubmitAndExecute(FreezeRequests.Valid("SZ-2026-000003", 10_000m) with { AccountNumber = account });

        var part = (await _investigator.HandOverToSeizureAsync(freeze.FreezeId, new ReleaseFreezeRequest("seizure order", "SZPD-SZ-1", 4_000.01m))).Content!;
        Assert.Equal((5_999.99m, 4_000.01m, "FrozenInFull"), (part.FrozenAmount!.Amount, part.HandedOverToSeizure!.Amount, part.Status));

        var rest = (await _investigator.HandOverToSeizureAsync(freeze.FreezeId, new ReleaseFreezeRequest("seizure order", "SZPD-SZ-2"))).Content!;
        Assert.Equal((0m, 10_000m, "HandedOverToSeizure"), (rest.FrozenAmount!.Amount, rest.HandedOverToSeizure!.Amount, rest.Status));
        await Until(freeze.FreezeId, v => v.Workflow is { State: "Ended", TermEndScheduled: false }, "the saga to end the hold");

        var again = await _investigator.HandOverToSeizureAsync(freeze.FreezeId, new ReleaseFreezeRequest("again", "SZPD-SZ-3", 1m));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var holds = (await _investigator.GetAccountHoldsAsync("ICBC", account)).Content!;
        Assert.Equal("HandedOverToSeizure", holds.Holds.Single().EndReason);
    }

    [Fact]
    public async Task Retries_are_safe_by_idempotency_key_and_by_natural_key()
    {
        var request = FreezeRequests.Valid(FreezeRequests.NewCaseNumber()) with { AccountNumber = "6222020200111122223" };
        var first = await _liaison.SubmitAsync(request, idempotencyKey: "bank-batch-7/row-1");
        var again = await _liaison.SubmitAsync(request, idempotencyKey: "bank-batch-7/row-1");
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(first.Content!.FreezeId, again.Content!.FreezeId);

        var reused = await _liaison.SubmitAsync(request with { Amount = 1m }, idempotencyKey: "bank-batch-7/row-1");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Contains("idempotency-key.reused", reused.ErrorContent());

        // No key, but the same case, account and document, ten times at once: still one freeze.
        var racing = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => _liaison.SubmitAsync(request)));
        Assert.All(racing, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Single(racing.Select(r => r.Content!.FreezeId).Append(first.Content.FreezeId).Distinct());
        Assert.Equal(1, (await _liaison.ListByCaseAsync(request.CaseNumber!)).Content!.Total);
    }

    [Fact]
    public async Task Lists_page_by_case_expiry_and_overdue_acknowledgement()
    {
        var caseNumber = FreezeRequests.NewCaseNumber();
        var ids = new List<Guid>();
        foreach (var account in new[] { "6222020200000000011", "6222020200000000022", "6222020200000000033" })
            ids.Add((await _liaison.SubmitAsync(FreezeRequests.Valid(caseNumber) with { AccountNumber = account })).Content!.FreezeId);

        var page1 = (await _liaison.ListByCaseAsync(caseNumber, page: 1, pageSize: 2)).Content!;
        var page2 = (await _liaison.ListByCaseAsync(caseNumber, page: 2, pageSize: 2)).Content!;
        Assert.Equal(3, page1.Total);
        Assert.Equal(ids, page1.Items.Concat(page2.Items).Select(f => f.FreezeId));
        Assert.Equal(HttpStatusCode.BadRequest, (await _liaison.ListByCaseAsync(caseNumber, pageSize: 10_000)).StatusCode);

        await _liaison.RecordBankExecutionAsync(ids[0], new RecordBankExecutionRequest(BankExecutionOutcome.FrozenInFull));
        _clock.Advance(TimeSpan.FromHours(25)); // the other two are now overdue at the bank
        var overdue = (await _liaison.ListOverdueAcknowledgementsAsync()).Content!;
        Assert.Equal(ids.Skip(1), overdue.Items.Select(f => f.FreezeId));

        Assert.Empty((await _liaison.ListExpiringAsync(withinDays: 30)).Content!.Items);
        var expiring = (await _liaison.ListExpiringAsync(withinDays: 190)).Content!;
        Assert.Equal([ids[0]], expiring.Items.Select(f => f.FreezeId));
    }

    private async Task<FreezeView> SubmitAndExecute(SubmitFreezeRequest request)
    {
        var submitted = await _liaison.SubmitAsync(request);
        Assert.True(submitted.StatusCode == HttpStatusCode.Created, $"submit answered {submitted.StatusCode}: {submitted.ErrorContent()}");
        var freezeId = submitted.Content!.FreezeId;
        await Until(freezeId, v => v.Workflow?.State == "AwaitingBankExecution", "the saga to record the request");
        var executed = await _liaison.RecordBankExecutionAsync(freezeId, new RecordBankExecutionRequest(BankExecutionOutcome.FrozenInFull));
        Assert.True(executed.StatusCode == HttpStatusCode.OK, $"bank result answered {executed.StatusCode}: {executed.ErrorContent()}");
        return await Until(freezeId, v => v.Workflow is { State: "Frozen", TermEndScheduled: true }, "the saga to schedule the term end");
    }

    private Task<FreezeView> Until(Guid freezeId, Func<FreezeView, bool> done, string what) =>
        Eventually.Until(async () => (await _liaison.GetAsync(freezeId)).Content!, done, what: what);
}
