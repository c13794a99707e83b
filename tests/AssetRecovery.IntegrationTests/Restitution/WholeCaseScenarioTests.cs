using System.Net;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Clients.Restitution;
using AssetRecovery.Clients.Seizure;
using AssetRecovery.Clients.VictimClaim;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Contracts.Restitution;
using AssetRecovery.Contracts.Seizure;
using AssetRecovery.IntegrationTests.Freeze;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.IntegrationTests.VictimClaim;
using AssetRecovery.ServiceDefaults;

namespace AssetRecovery.IntegrationTests.Restitution;

/// <summary>
/// One case from interception to return, through all four services over RabbitMQ: three victims, two mules, partial
/// freezes, seizure into custody, one asset sold, a court order with a medical-cost creditor, two rounds. It ends with
/// the case ledger reconciled and each victim's claim showing what was paid.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class WholeCaseScenarioTests(Infrastructure.Infrastructure infrastructure) : AllServicesTest(infrastructure)
{
    [Fact]
    public async Task From_interception_to_return_the_money_is_conserved_and_each_victim_sees_what_was_paid()
    {
        var caseNumber = FreezeRequests.NewCaseNumber();
        const string muleOne = TracedCase.MuleOne, muleTwo = TracedCase.MuleTwo;

        // Bank records: A and B pay mule one, C pays mule two; mule one moves 500.00 on to mule two. Traced pro rata.
        var tracing = FreezeHost.Client<ITracingApi>(Roles.Investigator, "inspector-wu");
        var t0 = DateTimeOffset.Parse("2026-03-01T09:00:00Z");
        Assert.True((await tracing.ImportAsync(caseNumber, new ImportTransactionsRequest([
            new TransactionRecord("T1", t0, "6217000000000000001", muleOne, 600.00m, "CNY", TransactionChannel.VictimPayment, "A"),
            new TransactionRecord("T2", t0.AddMinutes(5), "6217000000000000002", muleOne, 400.00m, "CNY", TransactionChannel.VictimPayment, "B"),
            new TransactionRecord("T3", t0.AddMinutes(10), "6217000000000000003", muleTwo, 300.00m, "CNY", TransactionChannel.VictimPayment, "C"),
            new TransactionRecord("T4", t0.AddMinutes(30), muleOne, muleTwo, 500.00m, "CNY", TransactionChannel.Transfer),
        ]))).IsSuccessStatusCode);
        var trace = (await tracing.RunAsync(caseNumber, new RunTraceRequest(TraceRule.ProRata))).Content!;
        await Eventually.Until(async () => (await tracing.GetAsync(trace.TraceId)).Content!.Status, s => s == "Completed", what: "the trace");

        // The victims file; the investigator verifies each and names them in the bank records.
        var investigator = ClaimsHost.Client<IVictimClaimApi>(Roles.Investigator, "inspector-wu");
        var victims = new Dictionary<string, (IVictimClaimApi Api, Guid ClaimId)>();
        foreach (var (id, loss) in new[] { ("A", 600.00m), ("B", 400.00m), ("C", 300.00m) })
        {
            var api = ClaimsHost.Client<IVictimClaimApi>(Roles.Victim, $"victim-{id}");
            var claimId = (await api.FileAsync(ClaimRequests.Valid(loss, caseNumber))).Content!.ClaimId;
            Assert.True((await investigator.ApproveAsync(claimId, new ApproveClaimRequest(loss, "bank statement", TraceVictimId: id))).IsSuccessStatusCode);
            victims[id] = (api, claimId);
        }

        // Partial freezes: mule one held only 400.00 of 500.00; mule two 800.00 in full.
        var liaison = FreezeHost.Client<IFreezeApi>(Roles.BankLiaison, "officer-li");
        var freezeOne = await TracedCase.FreezeAsync(liaison, caseNumber, muleOne, 500.00m, BankExecutionOutcome.FrozenInPart, 400.00m);
        var freezeTwo = await TracedCase.FreezeAsync(liaison, caseNumber, muleTwo, 800.00m, BankExecutionOutcome.FrozenInFull, 800.00m);

        // Custody: all of mule one, 600.00 of mule two; and a car sold for 250.00 less 50.00 fees.
        var seizure = SeizureHost.Client<ISeizureApi>(Roles.Investigator, "inspector-wu");
        foreach (var (freezeId, amount) in new[] { (freezeOne, 400.00m), (freezeTwo, 600.00m) })
            await Eventually.Until(() => seizure.SeizeFrozenFundsAsync(freezeId, new SeizeFrozenFundsRequest("SZPD-SZ-9", "court seizure order", amount)),
                r => r.StatusCode == HttpStatusCode.Accepted, what: "seizure to know the freeze");
        var car = (await seizure.RegisterAssetAsync(new RegisterAssetRequest(caseNumber, AssetType.Vehicle, "Scooter bought with victims' money",
            new AssetOwnerInput("Zhang San"), "SZPD-SZ-9", "bought with proceeds", Vehicle: new VehicleDetails("粤B·X0001", null, "Yadea")))).Content!;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.True((await seizure.RecordDisposalAsync(car.AssetId, new RecordDisposalRequest(DisposalMethod.Sale, 250.00m, 50.00m, "CNY", today,
            "SALE-1", "court-ordered sale"))).IsSuccessStatusCode);
        await Eventually.Until(async () => (await seizure.GetRecoveryPoolAsync(caseNumber)).Content?.Balances, b => b is [{ Amount: 1_200.00m }],
            what: "the pool to hold 400.00 + 600.00 + 200.00");

        // The court's order: the three victims at their losses, and the hospital's medical costs first.
        var court = RestitutionHost.Client<IRestitutionApi>(Roles.Court, "judge-zhou");
        await Eventually.Until(() => court.RecordOrderAsync(caseNumber, new RecordRestitutionOrderRequest("Shenzhen Intermediate People's Court",
            "(2026) Yue 03 Xing Chu 7", new DateOnly(2026, 10, 1), ["Defendant One"], "CNY", DistributionPolicy.ProRata,
            victims.Select(v => new OrderedVictimInput(v.Value.ClaimId, $"Victim {v.Key}", v.Key switch { "A" => 600.00m, "B" => 400.00m, _ => 300.00m }))
                .ToList(),
            [new OrderedCreditorInput("hospital", "Shenzhen People's Hospital", PriorityClass.MedicalCosts, 100.00m, "BOC", "6216600000000000009")])),
            r => r.IsSuccessStatusCode, what: "restitution to know the claims");

        // Round one, 700.00: the hospital's 100.00, then 600.00 over 600 : 400 : 300 → 276.92, 184.62 (spare fen), 138.46.
        // Round two, the pool's last 500.00, over what is still due (323.08 : 215.38 : 161.54) → 230.77, 153.84, 115.39.
        var restitution = RestitutionHost.Client<IRestitutionApi>(Roles.Investigator, "inspector-wu");
        var bank = RestitutionHost.Client<IRestitutionApi>(Roles.BankLiaison, "officer-li");
        var expected = new[]
        {
            new Dictionary<string, decimal> { ["Shenzhen People's Hospital"] = 100.00m, ["Victim A"] = 276.92m, ["Victim B"] = 184.62m, ["Victim C"] = 138.46m },
            new Dictionary<string, decimal> { ["Victim A"] = 230.77m, ["Victim B"] = 153.84m, ["Victim C"] = 115.39m },
        };
        foreach (var (amount, i) in new[] { (700.00m, 0), (500.00m, 1) })
        {
            var round = (await restitution.PlanRoundAsync(caseNumber, new PlanRoundRequest(amount, $"ROUND-{i + 1}"))).Content!;
            Assert.Equal(expected[i], (await restitution.AllocationsAsync(caseNumber, round.RoundId)).ToDictionary(a => a.Payee, a => a.Amount.Amount));
            var payments = await Eventually.Until(async () => (await restitution.ListPaymentsAsync(caseNumber)).Content!.Items
                .Where(p => p.RoundId == round.RoundId).ToList(), p => p.Count == expected[i].Count, what: $"round {i + 1}'s payments");
            foreach (var payment in payments)
                Assert.True((await bank.ConfirmPaymentAsync(payment.PaymentId, new ConfirmPaymentRequest($"PAY-{payment.PaymentId:N}"))).IsSuccessStatusCode);
        }

        // Each victim's claim shows what was paid: A 507.69, B 338.46, C 253.85.
        foreach (var (id, paid) in new[] { ("A", 507.69m), ("B", 338.46m), ("C", 253.85m) })
        {
            var trail = await Eventually.Until(async () => (await victims[id].Api.GetAsync(victims[id].ClaimId)).Content!.MoneyTrail,
                t => t.Paid == paid, what: $"victim {id}'s paid figure");
            Assert.Equal(trail.Verified - paid, trail.Outstanding);
        }

        // The ledger has seen all of it, and it reconciles.
        var ledger = await Eventually.Until(async () => (await court.GetCaseLedgerAsync(caseNumber)).Content,
            l => l?.Paid is [{ Amount: 1_200.00m }], TimeSpan.FromSeconds(60), "the ledger to see every payment");
        Assert.Equal([1_200.00m, 1_000.00m, 200.00m, 1_200.00m, 0.00m],
            new[] { ledger!.Frozen, ledger.Seized, ledger.Proceeds, ledger.PoolDebited, ledger.PoolBalance }.Select(m => m.Single().Amount));
        Assert.Equal([("Victim A", 600.00m, 600.00m, 507.69m), ("Victim B", 400.00m, 400.00m, 338.46m), ("Victim C", 300.00m, 300.00m, 253.85m)],
            ledger.Victims.Select(v => (v.Name!, v.Reported, v.Ordered, v.Paid)));
        Assert.Equal(600.00m, ledger.Victims[0].Traced); // all of A's money is still in the two mules
        var reconciliation = (await court.ReconcileAsync(caseNumber)).Content!;
        Assert.True(reconciliation.Reconciled, string.Join("; ", reconciliation.Checks.SelectMany(c => c.Violations)));
        Assert.Equal(5, reconciliation.Checks.Count);

        var csv = (await court.RecoveryReportCsvAsync(caseNumber)).Content!;
        Assert.Contains($"{victims["A"].ClaimId},Victim A,CNY,600.00,600.00,600.00,600.00,507.69,92.31", csv);
        Assert.Contains("paid,CNY,1200.00", csv);
        var html = (await court.RecoveryReportHtmlAsync(caseNumber)).Content!;
        Assert.Contains("Recovery report, case " + caseNumber, html);
        Assert.DoesNotContain("BROKEN", html);
    }
}
