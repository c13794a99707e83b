using System.Net;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Clients.VictimClaim;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Freeze;
using AssetRecovery.IntegrationTests.Freeze;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.ServiceDefaults;
using AssetRecovery.VictimClaim;

namespace AssetRecovery.IntegrationTests.VictimClaim;

/// <summary>
/// Traced and frozen money reaches the victim's claim as events from the freeze service over RabbitMQ (no call at
/// request time), with exact shares, and each change leaves the victim a notification.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class ClaimMoneyTrailTests(Infrastructure.Infrastructure infrastructure) : IAsyncLifetime
{
    private TestSystem _system = null!;
    private ServiceHost<FreezeService> _freeze = null!;
    private ServiceHost<VictimClaimService> _claims = null!;

    public async Task InitializeAsync()
    {
        _system = await TestSystem.StartAsync(infrastructure);
        _freeze = _system.Start<FreezeService>("freeze");
        _claims = _system.Start<VictimClaimService>("victim-claim");
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();

    [Fact]
    public async Task Each_victim_sees_their_traced_money_and_their_exact_share_of_what_is_frozen()
    {
        var caseNumber = FreezeRequests.NewCaseNumber();
        var investigator = _claims.Client<IVictimClaimApi>(Roles.Investigator, "inspector-wu");
        var victimA = _claims.Client<IVictimClaimApi>(Roles.Victim, "victim-a");
        var victimB = _claims.Client<IVictimClaimApi>(Roles.Victim, "victim-b");
        // A's claim is verified before anything is traced; B's after.
        var claimA = (await victimA.FileAsync(ClaimRequests.Valid(600.00m, caseNumber))).Content!.ClaimId;
        var claimB = (await victimB.FileAsync(ClaimRequests.Valid(400.00m, caseNumber))).Content!.ClaimId;
        Assert.Equal("Approved", (await investigator.ApproveAsync(claimA, new ApproveClaimRequest(600.00m, "Bank statement", TraceVictimId: "A")))
            .Content!.Status);

        var liaison = _freeze.Client<IFreezeApi>(Roles.BankLiaison, "officer-li");
        var (muleOneFreeze, _) = await TracedCase.TraceAndFreezeAsync(_freeze.Client<ITracingApi>(Roles.Investigator, "inspector-wu"), liaison, caseNumber);

        var trailA = await TrailOf(victimA, claimA, t => t.Traced == 600.00m && t.Frozen == 510.01m);
        Assert.Equal((600.00m, (decimal?)600.00m, 0m, 0m, (decimal?)600.00m), (trailA.Claimed, trailA.Verified, trailA.Ordered, trailA.Paid, trailA.Outstanding));

        Assert.Equal(HttpStatusCode.OK, (await investigator.ApproveAsync(claimB, new ApproveClaimRequest(400.00m, "Bank statement", TraceVictimId: "B"))).StatusCode);
        var trailB = await TrailOf(victimB, claimB, t => t.Traced == 400.00m);
        Assert.Equal(340.00m, trailB.Frozen);
        Assert.Equal(850.01m, trailA.Frozen + trailB.Frozen); // all that the banks hold, not a fen more or less

        // A release at mule one lowers what is secured there (400.00 left: A 240.00, B 160.00).
        var released = await _freeze.Client<IFreezeApi>(Roles.Investigator, "inspector-wu")
            .ReleaseAsync(muleOneFreeze, new ReleaseFreezeRequest("Holder proved 100.00 was salary", "SZPD-REL-1", 100.00m));
        Assert.True(released.IsSuccessStatusCode, released.ErrorContent());
        Assert.Equal(450.01m, (await TrailOf(victimA, claimA, t => t.Frozen != 510.01m)).Frozen);
        Assert.Equal(300.00m, (await TrailOf(victimB, claimB, t => t.Frozen != 340.00m)).Frozen);

        var told = await Eventually.Until(async () => (await victimA.GetNotificationsAsync(claimA)).Content!,
            n => n.Count(x => x.Kind == "MoneyTrailChanged") >= 2, what: "A to be told of the money trail");
        Assert.Contains(told, n => n.Message.Contains("frozen or seized 450.01 CNY (was 510.01)"));
        Assert.Contains(told, n => n.Message.Contains("traced to accounts 600.00 CNY"));
    }

    [Fact]
    public async Task A_trace_of_all_claims_of_the_case_follows_the_victims_whose_claims_are_linked_and_not_denied()
    {
        var caseNumber = FreezeRequests.NewCaseNumber();
        var tracing = _freeze.Client<ITracingApi>(Roles.Investigator, "inspector-wu");
        var t0 = DateTimeOffset.Parse("2026-03-01T09:00:00Z");
        Assert.True((await tracing.ImportAsync(caseNumber, new ImportTransactionsRequest([
            new TransactionRecord("T1", t0, "V-A", TracedCase.MuleOne, 100.00m, "CNY", TransactionChannel.VictimPayment, "A"),
            new TransactionRecord("T2", t0.AddMinutes(1), "V-B", TracedCase.MuleOne, 200.00m, "CNY", TransactionChannel.VictimPayment, "B"),
            new TransactionRecord("T3", t0.AddMinutes(2), "V-C", TracedCase.MuleOne, 300.00m, "CNY", TransactionChannel.VictimPayment, "C"),
        ]))).IsSuccessStatusCode);
        var noneYet = await tracing.RunAsync(caseNumber, new RunTraceRequest(TraceRule.Fifo, AllClaims: true));
        Assert.Equal(HttpStatusCode.Conflict, noneYet.StatusCode);
        Assert.Contains("trace.no-claims", noneYet.ErrorContent());
        var both = await tracing.RunAsync(caseNumber, new RunTraceRequest(TraceRule.Fifo, VictimIds: ["A"], AllClaims: true));
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);

        var investigator = _claims.Client<IVictimClaimApi>(Roles.Investigator, "inspector-wu");
        var claimA = (await _claims.Client<IVictimClaimApi>(Roles.Victim, "victim-a").FileAsync(ClaimRequests.Valid(100.00m, caseNumber))).Content!.ClaimId;
        var claimB = (await _claims.Client<IVictimClaimApi>(Roles.Victim, "victim-b").FileAsync(ClaimRequests.Valid(200.00m, caseNumber))).Content!.ClaimId;
        await investigator.LinkToCaseAsync(claimA, new LinkClaimRequest(caseNumber, "A"));
        await investigator.LinkToCaseAsync(claimB, new LinkClaimRequest(caseNumber, "B"));
        var traced = await Eventually.Until(() => tracing.RunAsync(caseNumber, new RunTraceRequest(TraceRule.Fifo, AllClaims: true)),
            r => r.Content?.VictimIds is ["A", "B"], what: "the freeze service to learn of both linked claims");
        await Eventually.Until(async () => (await tracing.GetAsync(traced.Content!.TraceId)).Content!, t => t.Status == "Completed", what: "the trace");
        var victims = (await tracing.GetAsync(traced.Content!.TraceId)).Content!.Victims;
        Assert.Equal([("A", 100.00m), ("B", 200.00m)], victims.Select(v => (v.VictimId, v.Held)));

        await investigator.DenyAsync(claimB, new DenyClaimRequest("B was paid back by the mule's bank"));
        await Eventually.Until(() => tracing.RunAsync(caseNumber, new RunTraceRequest(TraceRule.Fifo, AllClaims: true)),
            r => r.Content?.VictimIds is ["A"], what: "the denial to take B out of the case's claims");
    }

    private static async Task<MoneyTrailView> TrailOf(IVictimClaimApi victim, Guid claimId, Func<MoneyTrailView, bool> done) =>
        await Eventually.Until(async () => (await victim.GetAsync(claimId)).Content!.MoneyTrail, done, what: $"the money trail of {claimId}");
}
