using System.Net;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Clients.VictimClaim;
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

    private static async Task<MoneyTrailView> TrailOf(IVictimClaimApi victim, Guid claimId, Func<MoneyTrailView, bool> done) =>
        await Eventually.Until(async () => (await victim.GetAsync(claimId)).Content!.MoneyTrail, done, what: $"the money trail of {claimId}");
}
