using System.Net;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Clients.Restitution;
using AssetRecovery.Clients.Seizure;
using AssetRecovery.Clients.VictimClaim;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Contracts.Restitution;
using AssetRecovery.IntegrationTests.Freeze;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.IntegrationTests.VictimClaim;
using AssetRecovery.ServiceDefaults;

namespace AssetRecovery.IntegrationTests.Restitution;

/// <summary>The case's recovery saga: with auto-distribution on it starts rounds as money reaches the pool, and closes the case once everyone is paid.</summary>
[Collection(SystemCollection.Name)]
public sealed class CaseRecoverySagaTests(Infrastructure.Infrastructure infrastructure) : AllServicesTest(infrastructure)
{
    [Fact]
    public async Task Money_reaching_the_pool_is_distributed_by_itself_and_the_case_closes_when_everyone_is_paid()
    {
        var caseNumber = FreezeRequests.NewCaseNumber();
        var investigator = ClaimsHost.Client<IVictimClaimApi>(Roles.Investigator, "inspector-wu");
        var claims = new List<(IVictimClaimApi Api, Guid ClaimId, decimal Loss)>();
        foreach (var (subject, loss) in new[] { ("victim-a", 600.00m), ("victim-b", 400.00m) })
        {
            var api = ClaimsHost.Client<IVictimClaimApi>(Roles.Victim, subject);
            var claimId = (await api.FileAsync(ClaimRequests.Valid(loss, caseNumber))).Content!.ClaimId;
            await investigator.ApproveAsync(claimId, new ApproveClaimRequest(loss, "statement"));
            claims.Add((api, claimId, loss));
        }
        var court = RestitutionHost.Client<IRestitutionApi>(Roles.Court, "judge-zhou");
        await Eventually.Until(() => court.RecordOrderAsync(caseNumber, new RecordRestitutionOrderRequest("Shenzhen Intermediate People's Court",
                "(2026) Yue 03 Xing Chu 9", new DateOnly(2026, 10, 1), ["Defendant One"], "CNY", DistributionPolicy.ProRata,
                claims.Select((c, i) => new OrderedVictimInput(c.ClaimId, $"Victim {(char)('A' + i)}", c.Loss)).ToList())),
            r => r.IsSuccessStatusCode, what: "restitution to know the claims");
        var restitution = RestitutionHost.Client<IRestitutionApi>(Roles.Investigator, "inspector-wu");
        Assert.True((await restitution.SetAutoDistributionAsync(caseNumber, new SetAutoDistributionRequest(true))).Content!.AutoDistribute);

        // 700.00 into custody: the saga starts a round of it (A 420.00, B 280.00); then 500.00 more, of which 300.00 is still due.
        var freezeId = await TracedCase.FreezeAsync(FreezeHost.Client<IFreezeApi>(Roles.BankLiaison, "officer-li"), caseNumber, TracedCase.MuleOne,
            1_500.00m, BankExecutionOutcome.FrozenInFull, 1_500.00m);
        var seizure = SeizureHost.Client<ISeizureApi>(Roles.Investigator, "inspector-wu");
        await Eventually.Until(() => seizure.SeizeFrozenFundsAsync(freezeId, new SeizeFrozenFundsRequest("SZPD-SZ-1", "court order", 700.00m)),
            r => r.StatusCode == HttpStatusCode.Accepted, what: "seizure to know the freeze");
        var first = await Eventually.Until(async () => (await restitution.ListRoundsAsync(caseNumber)).Content!, r => r.Count == 1 && r[0].Status == "Funded",
            what: "the saga's first round to be funded");
        Assert.Equal([("Victim A", 420.00m), ("Victim B", 280.00m)], (await restitution.AllocationsAsync(caseNumber, first[0].RoundId)).Select(a => (a.Payee, a.Amount.Amount)));
        Assert.Equal("system:case-recovery", first[0].PlannedBy.Subject);

        Assert.Equal(HttpStatusCode.Accepted,
            (await seizure.SeizeFrozenFundsAsync(freezeId, new SeizeFrozenFundsRequest("SZPD-SZ-2", "court order", 500.00m))).StatusCode);
        var rounds = await Eventually.Until(async () => (await restitution.ListRoundsAsync(caseNumber)).Content!,
            r => r.Count == 2 && r.All(x => x.Status == "Funded"), what: "the saga's second round");
        Assert.Equal([("Victim A", 180.00m), ("Victim B", 120.00m)], (await restitution.AllocationsAsync(caseNumber, rounds[1].RoundId)).Select(a => (a.Payee, a.Amount.Amount)));

        var bank = RestitutionHost.Client<IRestitutionApi>(Roles.BankLiaison, "officer-li");
        var payments = await Eventually.Until(async () => (await restitution.ListPaymentsAsync(caseNumber)).Content!.Items, p => p.Count == 4,
            what: "four payment instructions");
        var recovery = await restitution.GetRecoveryAsync(caseNumber);
        Assert.Null(recovery.Content!.ClosedAt); // not while payments are unconfirmed
        foreach (var payment in payments)
            await bank.ConfirmPaymentAsync(payment.PaymentId, new ConfirmPaymentRequest($"PAY-{payment.PaymentId:N}"));

        var closed = await Eventually.Until(async () => (await restitution.GetRecoveryAsync(caseNumber)).Content!, r => r.ClosedAt is not null,
            what: "the case to close");
        Assert.Contains("paid in full", closed.ClosedReason);
        var late = await restitution.PlanRoundAsync(caseNumber, new PlanRoundRequest(100.00m, "LATE"));
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("case.closed", late.ErrorContent());
        foreach (var (api, claimId, loss) in claims)
        {
            var trail = await Eventually.Until(async () => (await api.GetAsync(claimId)).Content!.MoneyTrail, t => t.Paid == loss, what: "paid in full");
            Assert.Equal(0m, trail.Outstanding);
        }
    }

    [Fact]
    public async Task Without_auto_distribution_the_case_closes_once_every_funded_payment_is_confirmed()
    {
        var caseNumber = FreezeRequests.NewCaseNumber();
        var investigator = ClaimsHost.Client<IVictimClaimApi>(Roles.Investigator, "inspector-wu");
        var victim = ClaimsHost.Client<IVictimClaimApi>(Roles.Victim, "victim-manual");
        var claimId = (await victim.FileAsync(ClaimRequests.Valid(500.00m, caseNumber))).Content!.ClaimId;
        await investigator.ApproveAsync(claimId, new ApproveClaimRequest(500.00m, "statement"));
        var court = RestitutionHost.Client<IRestitutionApi>(Roles.Court, "judge-zhou");
        await Eventually.Until(() => court.RecordOrderAsync(caseNumber, new RecordRestitutionOrderRequest("Shenzhen Intermediate People's Court",
                "(2026) Yue 03 Xing Chu 10", new DateOnly(2026, 10, 1), ["Defendant One"], "CNY", DistributionPolicy.ProRata,
                [new OrderedVictimInput(claimId, "Victim M", 500.00m)])),
            r => r.IsSuccessStatusCode, what: "restitution to know the claim");
        var freezeId = await TracedCase.FreezeAsync(FreezeHost.Client<IFreezeApi>(Roles.BankLiaison, "officer-li"), caseNumber, TracedCase.MuleOne,
            500.00m, BankExecutionOutcome.FrozenInFull, 500.00m);
        var seizure = SeizureHost.Client<ISeizureApi>(Roles.Investigator, "inspector-wu");
        await Eventually.Until(() => seizure.SeizeFrozenFundsAsync(freezeId, new SeizeFrozenFundsRequest("SZPD-SZ-M", "court order", 500.00m)),
            r => r.StatusCode == HttpStatusCode.Accepted, what: "seizure to know the freeze");

        // The whole pool in one round planned by hand: once it is funded nothing is left to distribute, so each review
        // (after the funding, after the confirmation) can only close the case.
        await Eventually.Until(async () => (await seizure.GetRecoveryPoolAsync(caseNumber)).Content,
            p => p?.Balances.SingleOrDefault()?.Amount == 500.00m, what: "the pool to be credited");
        var restitution = RestitutionHost.Client<IRestitutionApi>(Roles.Investigator, "inspector-wu");
        var round = await restitution.PlanRoundAsync(caseNumber, new PlanRoundRequest(500.00m, "MANUAL-1"));
        Assert.Equal(HttpStatusCode.Accepted, round.StatusCode);
        var payment = await Eventually.Until(async () => (await restitution.ListPaymentsAsync(caseNumber)).Content!.Items, p => p.Count == 1,
            what: "the round's payment instruction");
        Assert.Equal((round.Content!.RoundId, 500.00m), (payment[0].RoundId, payment[0].Amount.Amount));
        Assert.Null((await restitution.GetRecoveryAsync(caseNumber)).Content!.ClosedAt);

        var bank = RestitutionHost.Client<IRestitutionApi>(Roles.BankLiaison, "officer-li");
        await bank.ConfirmPaymentAsync(payment[0].PaymentId, new ConfirmPaymentRequest("PAY-M-1"));
        var closed = await Eventually.Until(async () => (await restitution.GetRecoveryAsync(caseNumber)).Content!, r => r.ClosedAt is not null,
            what: "the case to close");
        Assert.Contains("paid in full", closed.ClosedReason);
    }
}
