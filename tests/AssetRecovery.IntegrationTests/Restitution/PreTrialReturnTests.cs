using System.Net;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Clients.Restitution;
using AssetRecovery.Clients.VictimClaim;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Contracts.Restitution;
using AssetRecovery.Freeze;
using AssetRecovery.IntegrationTests.Freeze;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.IntegrationTests.VictimClaim;
using AssetRecovery.Restitution;
using AssetRecovery.ServiceDefaults;
using AssetRecovery.VictimClaim;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AssetRecovery.IntegrationTests.Restitution;

/// <summary>
/// Pre-trial return of frozen funds across the freeze, victim-claim and restitution services over RabbitMQ: the
/// application, the fund-flow table from the trace, the decision, the public notice and approval, the freeze paying out,
/// and the bank's receipt. The freeze and restitution hosts share a clock the test moves (their saga deadlines go through
/// the durable scheduler, whose dispatchers read it); it starts on a Friday, 10:00 in Beijing, a few days ahead of real
/// time so that no dispatcher on the real clock delivers a deadline early.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class PreTrialReturnTests(Infrastructure.Infrastructure infrastructure) : IAsyncLifetime
{
    private static readonly TimeSpan LongToken = TimeSpan.FromDays(3 * 366);
    private readonly FakeTimeProvider _clock = new(NextFridayMorningInBeijing());
    private TestSystem _system = null!;
    private ServiceHost<FreezeService> _freeze = null!;
    private ServiceHost<RestitutionService> _restitution = null!;
    private ServiceHost<VictimClaimService> _claims = null!;
    private IPreTrialReturnApi _investigator = null!;
    private IPreTrialReturnApi _approver = null!;
    private IPreTrialReturnApi _bank = null!;

    public async Task InitializeAsync()
    {
        _system = await TestSystem.StartAsync(infrastructure);
        _freeze = _system.Start<FreezeService>("freeze", configureServices: s => s.AddSingleton<TimeProvider>(_clock));
        _restitution = _system.Start<RestitutionService>("restitution", configureServices: s => s.AddSingleton<TimeProvider>(_clock));
        _claims = _system.Start<VictimClaimService>("victim-claim");
        _investigator = _restitution.Client<IPreTrialReturnApi>(Roles.Investigator, "inspector-wu", LongToken);
        _approver = _restitution.Client<IPreTrialReturnApi>(Roles.Investigator, "chief-zhao", LongToken);
        _bank = _restitution.Client<IPreTrialReturnApi>(Roles.BankLiaison, "officer-li", LongToken);
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();

    private static DateTimeOffset NextFridayMorningInBeijing()
    {
        var day = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(2);
        while (day.DayOfWeek != DayOfWeek.Friday) day = day.AddDays(1);
        return day.AddHours(2); // 10:00 at UTC+8
    }

    [Fact]
    public async Task Direct_return_of_one_victims_deposit_through_to_the_banks_receipt()
    {
        var (caseNumber, claimId, freezeId) = await OneVictimCaseAsync("6222020200000000071");

        // Bad input writes nothing.
        var noReference = await _investigator.ApplyAsync(caseNumber, new ApplyPreTrialReturnRequest(freezeId, [new(claimId, 800.00m)], null));
        Assert.Equal(HttpStatusCode.BadRequest, noReference.StatusCode);
        var tooPrecise = await _investigator.ApplyAsync(caseNumber, new ApplyPreTrialReturnRequest(freezeId, [new(claimId, 800.001m)], "APP-1"));
        Assert.Equal(HttpStatusCode.BadRequest, tooPrecise.StatusCode);
        var byVictim = await _restitution.Client<IPreTrialReturnApi>(Roles.Victim, "victim-d", LongToken)
            .ApplyAsync(caseNumber, new ApplyPreTrialReturnRequest(freezeId, [new(claimId, 800.00m)], "APP-1"));
        Assert.Equal(HttpStatusCode.Forbidden, byVictim.StatusCode);
        Assert.Empty((await _investigator.ListAsync(caseNumber)).Content!);

        var ret = await ApplyAndDecideAsync(caseNumber, freezeId, [new(claimId, 800.00m)]);
        Assert.Equal(("Direct", "Decided", (DateTimeOffset?)null), (ret.Mode, ret.Status, ret.NoticeEndsAt));
        // Capped at the verified loss (750.00); the other 50.00 stays frozen.
        Assert.Equal([(claimId, 750.00m, "6217000000000000001")], ret.Allocations.Select(a => (a.ClaimId, a.Amount.Amount, a.ReturnAccountNumber)));
        Assert.Equal((800.00m, 750.00m, 50.00m), (ret.Available!.Amount, ret.Total!.Amount, ret.StaysFrozen!.Amount));
        // The money goes only to an account of the victim's own.
        var notTheVictims = await _investigator.ApplyAsync(caseNumber, new ApplyPreTrialReturnRequest(freezeId,
            [new(claimId, 800.00m, "BOC", "6216600000000000001", "Someone Else")], "APP-2"));
        Assert.Equal(HttpStatusCode.BadRequest, notTheVictims.StatusCode);
        Assert.Single((await _investigator.ListAsync(caseNumber)).Content!);

        var instructed = await ApproveAndWaitForInstructionAsync(ret.ReturnId, "provincial");
        Assert.Equal(50.00m, instructed.RemainingFrozen!.Amount);
        var freeze = (await _freeze.Client<IFreezeApi>(Roles.Investigator, "inspector-wu", LongToken).GetAsync(freezeId)).Content!;
        Assert.Equal((50.00m, 750.00m, "FrozenInFull"), (freeze.FrozenAmount!.Amount, freeze.Released!.Amount, freeze.Status));
        var release = freeze.History.Single(h => h.Event == nameof(FreezeReleased));
        Assert.Contains(ret.ReturnId.ToString(), release.Summary);
        Assert.Equal("chief-zhao", release.By!.Subject);

        // The ledger takes the instruction before the bank's receipt is recorded, so the receipt comes in a later batch
        // of the ledger's, which must find the return's victim in the store.
        var court = _restitution.Client<IRestitutionApi>(Roles.Court, "judge-zhou", LongToken);
        await Eventually.Until(async () => (await court.GetCaseLedgerAsync(caseNumber)).Content, l => l?.ReturnedBeforeTrial is [{ Amount: 750.00m }],
            what: "the ledger to count the return as instructed");
        var receipt = await _bank.RecordReceiptAsync(ret.ReturnId, new RecordReturnReceiptRequest("ICBC-PTR-0001"));
        Assert.Equal(HttpStatusCode.OK, receipt.StatusCode);
        Assert.Equal(("Completed", "ICBC-PTR-0001", false), (receipt.Content!.Status, receipt.Content.BankReference, receipt.Content.ReceiptOverdue));
        Assert.Equal(HttpStatusCode.OK, (await _bank.RecordReceiptAsync(ret.ReturnId, new RecordReturnReceiptRequest("ICBC-PTR-0001"))).StatusCode);
        var other = await _bank.RecordReceiptAsync(ret.ReturnId, new RecordReturnReceiptRequest("ICBC-PTR-0002"));
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Contains("pre-trial-return.receipt-recorded", other.ErrorContent());
        Assert.Equal(HttpStatusCode.Conflict,
            (await _investigator.DecideAsync(ret.ReturnId, new DecidePreTrialReturnRequest("SZPD-PTR-9", "again"))).StatusCode);

        var done = await Until(ret.ReturnId, r => r.Workflow is { State: "Completed" }, "the saga to complete");
        Assert.False(done.Workflow!.ReceiptDeadlineScheduled);
        Assert.Equal(
            ["PreTrialReturnApplied", "PreTrialFundFlowTableBuilt", "PreTrialReturnDecided", "PreTrialReturnApproved", "PreTrialReturnInstructed",
             "PreTrialReturnReceiptRecorded"],
            done.History.Select(h => h.Event));
        Assert.Equal(["inspector-wu", "inspector-wu", "inspector-wu", "chief-zhao", null, "officer-li"], done.History.Select(h => h.By?.Subject));

        // The victim's claim shows it paid, and the case ledger counts it and still reconciles.
        var trail = await Eventually.Until(async () => (await _claims.Client<IVictimClaimApi>(Roles.Victim, "victim-d").GetAsync(claimId)).Content!.MoneyTrail,
            t => t.Paid == 750.00m, what: "the claim to show the return as paid");
        Assert.Equal(0m, trail.Outstanding);
        // ... and the victim is told, once the bank's receipt is in (not when the return is only instructed).
        var victimD = _claims.Client<IVictimClaimApi>(Roles.Victim, "victim-d");
        var told = await Eventually.Until(async () => (await victimD.GetNotificationsAsync(claimId)).Content!,
            n => n.Any(x => x.Message.Contains("paid to you 750.00 CNY")), what: "the victim to be told of the return");
        Assert.Single(told, x => x.Message.Contains("paid to you"));
        var ledger = await Eventually.Until(async () => (await court.GetCaseLedgerAsync(caseNumber)).Content, l => l?.Paid is [{ Amount: 750.00m }],
            what: "the ledger to count the return");
        Assert.Equal([750.00m], ledger!.ReturnedBeforeTrial.Select(m => m.Amount));
        // The victim's own figures, written with the case's: the receipt added to what the approval had set.
        var victim = Assert.Single(ledger.Victims);
        Assert.Equal((claimId, (decimal?)750.00m, 750.00m, 0m), (victim.ClaimId, victim.Verified, victim.Paid, victim.Outstanding));
        Assert.True((await court.ReconcileAsync(caseNumber)).Content!.Reconciled);
    }

    [Fact]
    public async Task Pro_rata_return_after_the_public_notice_with_an_objection_and_approval_at_prefecture_city_level()
    {
        var caseNumber = FreezeRequests.NewCaseNumber();
        const string mule = "6222020200000000072";
        var claims = _claims.Client<IVictimClaimApi>(Roles.Investigator, "inspector-wu");
        var victimA = _claims.Client<IVictimClaimApi>(Roles.Victim, "victim-a");
        var victimB = _claims.Client<IVictimClaimApi>(Roles.Victim, "victim-b");
        var claimA = (await victimA.FileAsync(ClaimRequests.Valid(600.00m, caseNumber, mule))).Content!.ClaimId;
        var claimB = (await victimB.FileAsync(ClaimRequests.Valid(400.00m, caseNumber, mule))).Content!.ClaimId;
        Assert.True((await claims.ApproveAsync(claimA, new ApproveClaimRequest(600.00m, "statement", TraceVictimId: "A"))).IsSuccessStatusCode);
        Assert.True((await claims.ApproveAsync(claimB, new ApproveClaimRequest(400.00m, "statement", TraceVictimId: "B"))).IsSuccessStatusCode);

        // A 600.00, B 400.00 and C 250.00 (who has not come forward) pay into the mule; 350.00 moves on. Pro rata, the
        // 900.00 left there is A 432.00, B 288.00, C 180.00. The bank freezes 777.77 of it.
        var tracing = _freeze.Client<ITracingApi>(Roles.Investigator, "inspector-wu", LongToken);
        var t0 = DateTimeOffset.Parse("2026-03-01T09:00:00Z");
        Assert.True((await tracing.ImportAsync(caseNumber, new ImportTransactionsRequest([
            new TransactionRecord("T1", t0, "6217000000000000001", mule, 600.00m, "CNY", TransactionChannel.VictimPayment, "A"),
            new TransactionRecord("T2", t0.AddMinutes(5), "6217000000000000002", mule, 400.00m, "CNY", TransactionChannel.VictimPayment, "B"),
            new TransactionRecord("T3", t0.AddMinutes(9), "6217000000000000003", mule, 250.00m, "CNY", TransactionChannel.VictimPayment, "C"),
            new TransactionRecord("T4", t0.AddMinutes(30), mule, "6222020200000000099", 350.00m, "CNY", TransactionChannel.Transfer),
        ]))).IsSuccessStatusCode);
        await RunTraceAsync(tracing, caseNumber, TraceRule.ProRata);
        var liaison = _freeze.Client<IFreezeApi>(Roles.BankLiaison, "officer-li", LongToken);
        var freezeId = await TracedCase.FreezeAsync(liaison, caseNumber, mule, 900.00m, BankExecutionOutcome.FrozenInPart, 777.77m);

        var ret = await ApplyAndDecideAsync(caseNumber, freezeId, [new(claimA, 600.00m), new(claimB, 400.00m)]);
        Assert.Equal([("A", claimA, 432.00m), ("B", claimB, 288.00m), ("C", null, 180.00m)],
            ret.FundFlowTable!.Rows.Select(r => (r.TraceVictimId, r.ClaimId, r.Held.Amount)));
        Assert.Equal(("ProRata", "InNotice", 777.77m), (ret.Mode, ret.Status, ret.FundFlowTable.Frozen.Amount));
        // By loss over all three victims' 1,250.00: 77777 fen × 600/1250 = 37332.96, × 400/1250 = 24888.64, × 250/1250 = 15555.40;
        // rounded down 77775, the 2 spare fen to A and B (largest remainders) → A 373.33, B 248.89; C's 155.55 stays frozen.
        Assert.Equal([(claimA, 373.33m), (claimB, 248.89m)], ret.Allocations.Select(a => (a.ClaimId, a.Amount.Amount)));
        Assert.Equal((622.22m, 155.55m), (ret.Total!.Amount, ret.StaysFrozen!.Amount));
        Assert.Equal(_clock.GetUtcNow().AddDays(30), ret.NoticeEndsAt);
        await Until(ret.ReturnId, r => r.Workflow is { State: "InNotice", NoticeEndScheduled: true }, "the saga to schedule the notice's end");

        var early = await _approver.ApproveAsync(ret.ReturnId, new ApprovePreTrialReturnRequest("prefecture-city", "SZPSB-APR-1"));
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("pre-trial-return.notice-running", early.ErrorContent());

        // Objections during the notice: a victim about their own claim only.
        var bApi = _restitution.Client<IPreTrialReturnApi>(Roles.Victim, "victim-b", LongToken);
        var aApi = _restitution.Client<IPreTrialReturnApi>(Roles.Victim, "victim-a", LongToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await aApi.ObjectAsync(ret.ReturnId, new FileObjectionRequest(claimB, "B was paid back"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await bApi.ObjectAsync(ret.ReturnId, new FileObjectionRequest(null, "no claim named"))).StatusCode);
        _clock.Advance(TimeSpan.FromDays(3));
        var objection = await bApi.ObjectAsync(ret.ReturnId, new FileObjectionRequest(claimB, "My loss includes a 20.00 transfer fee the bank charged"));
        Assert.Equal(HttpStatusCode.Created, objection.StatusCode);
        Assert.Equal("victim-b", objection.Content!.FiledBy.Subject);
        var badOutcome = await _investigator.ResolveObjectionAsync(ret.ReturnId, objection.Content.ObjectionId, new ResolveObjectionRequest(null, "?"));
        Assert.Equal(HttpStatusCode.BadRequest, badOutcome.StatusCode);
        var resolved = (await _investigator.ResolveObjectionAsync(ret.ReturnId, objection.Content.ObjectionId,
            new ResolveObjectionRequest(ObjectionOutcome.Dismissed, "Fees are not a loss to the fraud; the verified loss stands"))).Content!;
        Assert.Equal(("Dismissed", "inspector-wu"), (resolved.Objections.Single().Outcome, resolved.Objections.Single().ResolvedBy!.Subject));

        // The notice ends when the durable deadline fires on the moved clock.
        _clock.SetUtcNow(ret.NoticeEndsAt!.Value.AddMinutes(1));
        var closed = await Until(ret.ReturnId, r => r.NoticeClosed, "the notice to close");
        Assert.Equal("NoticeClosed", closed.Status);
        Assert.Equal(HttpStatusCode.Conflict, (await bApi.ObjectAsync(ret.ReturnId, new FileObjectionRequest(claimB, "late"))).StatusCode);

        var county = await _approver.ApproveAsync(ret.ReturnId, new ApprovePreTrialReturnRequest("county", "SZPSB-APR-1"));
        Assert.Equal(HttpStatusCode.BadRequest, county.StatusCode);
        var self = await _investigator.ApproveAsync(ret.ReturnId, new ApprovePreTrialReturnRequest("prefecture-city", "SZPSB-APR-1"));
        Assert.Equal(HttpStatusCode.Conflict, self.StatusCode);
        var instructed = await ApproveAndWaitForInstructionAsync(ret.ReturnId, "prefecture-city");
        Assert.Equal(("prefecture-city", "chief-zhao"), (instructed.ApproverLevel, instructed.ApprovedBy!.Subject));

        // The freeze paid out exactly 622.22: 777.77 − 622.22 = 155.55 stays frozen.
        Assert.Equal(155.55m, instructed.RemainingFrozen!.Amount);
        var freeze = (await liaison.GetAsync(freezeId)).Content!;
        Assert.Equal((155.55m, 622.22m, "FrozenInPart"), (freeze.FrozenAmount!.Amount, freeze.Released!.Amount, freeze.Status));

        var done = (await _bank.RecordReceiptAsync(ret.ReturnId, new RecordReturnReceiptRequest("ICBC-PTR-0002"))).Content!;
        Assert.Equal("Completed", done.Status);
        Assert.Equal(
            ["PreTrialReturnApplied", "PreTrialFundFlowTableBuilt", "PreTrialReturnDecided", "PreTrialReturnObjectionFiled", "PreTrialReturnObjectionResolved",
             "PreTrialReturnNoticeClosed", "PreTrialReturnApproved", "PreTrialReturnInstructed", "PreTrialReturnReceiptRecorded"],
            done.History.Select(h => h.Event));
    }

    [Fact]
    public async Task A_receipt_not_in_by_the_third_working_day_is_escalated()
    {
        var (caseNumber, claimId, freezeId) = await OneVictimCaseAsync("6222020200000000073");
        var ret = await ApplyAndDecideAsync(caseNumber, freezeId, [new(claimId, 800.00m)]);
        var instructed = await ApproveAndWaitForInstructionAsync(ret.ReturnId, "prefecture-city");

        // Instructed on a Friday: due on the Wednesday at the same time.
        var at = instructed.InstructedAt!.Value;
        Assert.Equal(DayOfWeek.Friday, at.ToOffset(TimeSpan.FromHours(8)).DayOfWeek);
        Assert.Equal(at.AddDays(5), instructed.ReceiptDueAt);
        await Until(ret.ReturnId, r => r.Workflow is { State: "AwaitingReceipt", ReceiptDeadlineScheduled: true }, "the saga to schedule the receipt's deadline");

        _clock.SetUtcNow(at.AddDays(4)); // Tuesday: still in time
        await Task.Delay(1500);
        Assert.False((await _investigator.GetAsync(ret.ReturnId)).Content!.ReceiptOverdue);

        _clock.SetUtcNow(at.AddDays(5).AddMinutes(1));
        var overdue = await Until(ret.ReturnId, r => r.ReceiptOverdue, "the escalation");
        Assert.Equal(("Instructed", "ReceiptOverdue"), (overdue.Status, overdue.Workflow!.State));
        Assert.Contains(overdue.History, h => h.Event == nameof(PreTrialReturnReceiptOverdue));

        var late = (await _bank.RecordReceiptAsync(ret.ReturnId, new RecordReturnReceiptRequest("ICBC-PTR-0003"))).Content!;
        Assert.Equal("Completed", late.Status);
        Assert.EndsWith("(late)", late.History.Last().Summary);
        await Until(ret.ReturnId, r => r.Workflow is { State: "Completed" }, "the saga to complete");
    }

    /// <summary>Victim D pays 800.00 into the mule alone; D's verified loss is 750.00; the bank freezes the 800.00.</summary>
    private async Task<(string CaseNumber, Guid ClaimId, Guid FreezeId)> OneVictimCaseAsync(string mule)
    {
        var caseNumber = FreezeRequests.NewCaseNumber();
        var claimId = (await _claims.Client<IVictimClaimApi>(Roles.Victim, "victim-d").FileAsync(ClaimRequests.Valid(800.00m, caseNumber, mule)))
            .Content!.ClaimId;
        Assert.True((await _claims.Client<IVictimClaimApi>(Roles.Investigator, "inspector-wu")
            .ApproveAsync(claimId, new ApproveClaimRequest(750.00m, "statement; 50.00 came back from the bank", TraceVictimId: "D"))).IsSuccessStatusCode);
        var tracing = _freeze.Client<ITracingApi>(Roles.Investigator, "inspector-wu", LongToken);
        Assert.True((await tracing.ImportAsync(caseNumber, new ImportTransactionsRequest([
            new TransactionRecord("T1", DateTimeOffset.Parse("2026-03-01T09:00:00Z"), "6217000000000000001", mule, 800.00m, "CNY",
                TransactionChannel.VictimPayment, "D"),
        ]))).IsSuccessStatusCode);
        await RunTraceAsync(tracing, caseNumber, TraceRule.ProRata);
        var freezeId = await TracedCase.FreezeAsync(_freeze.Client<IFreezeApi>(Roles.BankLiaison, "officer-li", LongToken), caseNumber, mule, 800.00m,
            BankExecutionOutcome.FrozenInFull, 800.00m);
        return (caseNumber, claimId, freezeId);
    }

    private static async Task RunTraceAsync(ITracingApi tracing, string caseNumber, TraceRule rule)
    {
        var started = await tracing.RunAsync(caseNumber, new RunTraceRequest(rule));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        await Eventually.Until(async () => (await tracing.GetAsync(started.Content!.TraceId)).Content!.Status, s => s == "Completed",
            what: "the trace to complete");
    }

    /// <summary>Applies once restitution knows the claims, builds the table once it knows the trace, and decides.</summary>
    private async Task<PreTrialReturnView> ApplyAndDecideAsync(string caseNumber, Guid freezeId, IReadOnlyList<PreTrialApplicantInput> applicants)
    {
        var applied = await Eventually.Until(() => _investigator.ApplyAsync(caseNumber, new ApplyPreTrialReturnRequest(freezeId, applicants, "APP-" + caseNumber)),
            r => r.StatusCode == HttpStatusCode.Created, what: "restitution to know the verified, linked claims");
        var returnId = applied.Content!.ReturnId;
        Assert.Equal(("Applied", freezeId), (applied.Content.Status, applied.Content.FreezeId));
        Assert.Equal(HttpStatusCode.BadRequest, (await _investigator.DecideAsync(returnId, new DecidePreTrialReturnRequest(null, "x"))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict,
            (await _investigator.DecideAsync(returnId, new DecidePreTrialReturnRequest("SZPD-PTR-1", "no table yet"))).StatusCode);
        await Eventually.Until(() => _investigator.BuildFundFlowTableAsync(returnId, new BuildFundFlowTableRequest()),
            r => r.StatusCode == HttpStatusCode.OK, what: "restitution to know the trace");
        var decided = await _investigator.DecideAsync(returnId, new DecidePreTrialReturnRequest("SZPD-PTR-1", "Fund-flow table reviewed"));
        Assert.True(decided.StatusCode == HttpStatusCode.OK, decided.ErrorContent());
        return decided.Content!;
    }

    private async Task<PreTrialReturnView> ApproveAndWaitForInstructionAsync(Guid returnId, string level)
    {
        var approved = await _approver.ApproveAsync(returnId, new ApprovePreTrialReturnRequest(level, "SZPSB-APR-7"));
        Assert.True(approved.StatusCode == HttpStatusCode.OK, approved.ErrorContent());
        Assert.Equal(HttpStatusCode.Conflict, (await _approver.ApproveAsync(returnId, new ApprovePreTrialReturnRequest(level, "SZPSB-APR-7"))).StatusCode);
        return await Until(returnId, r => r.Status == "Instructed", "the freeze to pay out and the bank to be instructed");
    }

    private async Task<PreTrialReturnView> Until(Guid returnId, Func<PreTrialReturnView, bool> done, string what) =>
        await Eventually.Until(async () => (await _investigator.GetAsync(returnId)).Content!, done, what: what);
}
