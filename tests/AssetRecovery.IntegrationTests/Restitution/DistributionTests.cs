using System.Net;
using System.Text.Json;
using Refit;
using AssetRecovery.BuildingBlocks;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Clients.Restitution;
using AssetRecovery.Clients.Seizure;
using AssetRecovery.Clients.VictimClaim;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Contracts.Restitution;
using AssetRecovery.IntegrationTests.Freeze;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.IntegrationTests.VictimClaim;
using AssetRecovery.Restitution.Orders;
using AssetRecovery.ServiceDefaults;
using Marten;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AssetRecovery.IntegrationTests.Restitution;

/// <summary>
/// From custody to the victims, across the four services over RabbitMQ: a court order, rounds paid out of the recovery
/// pool in the legal order with exact splits, a round the pool cannot fund, a failed payment sent again to a corrected
/// account, and each victim's claim showing what was ordered and paid.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class DistributionTests(Infrastructure.Infrastructure infrastructure) : AllServicesTest(infrastructure)
{
    [Fact]
    public async Task An_order_naming_a_claim_unknown_here_or_of_another_case_is_refused_and_nothing_is_recorded()
    {
        var caseNumber = FreezeRequests.NewCaseNumber();
        var otherCase = FreezeRequests.NewCaseNumber();
        var victim = ClaimsHost.Client<IVictimClaimApi>(Roles.Victim, "victim-elsewhere");
        var claimOfOtherCase = (await victim.FileAsync(ClaimRequests.Valid(500.00m, otherCase))).Content!.ClaimId;
        var court = RestitutionHost.Client<IRestitutionApi>(Roles.Court, "judge-zhou");
        RecordRestitutionOrderRequest Naming(Guid claimId) => new("Shenzhen Intermediate People's Court", "(2026) Yue 03 Xing Chu 119",
            new DateOnly(2026, 9, 1), ["Defendant One"], "CNY", DistributionPolicy.ProRata, [new OrderedVictimInput(claimId, "Zhao Lei", 500.00m)]);

        var unknown = await court.RecordOrderAsync(caseNumber, Naming(Guid.NewGuid()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Contains("order.claim-unknown", unknown.ErrorContent());
        // Once restitution has heard of the claim, it is known, and tied to the other case.
        var elsewhere = await Eventually.Until(() => court.RecordOrderAsync(caseNumber, Naming(claimOfOtherCase)),
            r => r.ErrorContent().Contains("order.claim-other-case"), what: "restitution to know the other case's claim");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, elsewhere.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await court.GetOrderAsync(caseNumber)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await court.ListOrderedVictimsAsync(caseNumber)).StatusCode);
        // Its own case's order may name it.
        Assert.Equal(HttpStatusCode.OK, (await court.RecordOrderAsync(otherCase, Naming(claimOfOtherCase))).StatusCode);
    }

    [Fact]
    public async Task An_amended_orders_victims_replace_the_version_befores_and_orders_recorded_before_their_rows_are_filled_at_start()
    {
        var caseNumber = FreezeRequests.NewCaseNumber();
        var victimA = ClaimsHost.Client<IVictimClaimApi>(Roles.Victim, "victim-rows-a");
        var victimB = ClaimsHost.Client<IVictimClaimApi>(Roles.Victim, "victim-rows-b");
        var claimA = (await victimA.FileAsync(ClaimRequests.Valid(300.00m, caseNumber))).Content!.ClaimId;
        var claimB = (await victimB.FileAsync(ClaimRequests.Valid(200.00m, caseNumber))).Content!.ClaimId;
        var court = RestitutionHost.Client<IRestitutionApi>(Roles.Court, "judge-zhou");
        var order = new RecordRestitutionOrderRequest("Shenzhen Intermediate People's Court", "(2026) Yue 03 Xing Chu 120", new DateOnly(2026, 9, 1),
            ["Defendant One"], "CNY", DistributionPolicy.ProRata,
            [new OrderedVictimInput(claimA, "Li Hua", 300.00m), new OrderedVictimInput(claimB, "Wang Wei", 200.00m, RecoveredElsewhere: 20.00m)]);
        await Eventually.Until(() => court.RecordOrderAsync(caseNumber, order), r => r.IsSuccessStatusCode, what: "restitution to know both claims");
        var rows = $"{System.DocumentsSchema("restitution")}.{OrderVictimRows.TableName}";
        var orderId = RestitutionOrder.StreamIdFor(caseNumber);
        Task<string?> Victims() => System.ScalarAsync<string>(
            $"select string_agg(concat_ws(' ', ordinal, claim_id, name, adjudicated_loss, recovered_elsewhere), '; ' order by ordinal) from {rows} where order_id = @order",
            ("order", orderId));
        Assert.Equal($"0 {claimA} Li Hua 300.00 0; 1 {claimB} Wang Wei 200.00 20.00", await Victims());
        // The victims a page at a time, in the order's sequence, with how many there are.
        var secondPage = (await court.ListOrderedVictimsAsync(caseNumber, page: 2, pageSize: 1)).Content!;
        Assert.Equal((2, 1, 2L), (secondPage.PageNumber, secondPage.PageSize, secondPage.Total));
        Assert.Equal([(claimB, "Wang Wei", 200.00m, 20.00m, "CNY")],
            secondPage.Items.Select(v => (v.ClaimId, v.Name, v.AdjudicatedLoss.Amount, v.RecoveredElsewhere.Amount, v.RecoveredElsewhere.Currency)));
        Assert.Empty((await court.ListOrderedVictimsAsync(caseNumber, page: 3, pageSize: 1)).Content!.Items);
        var tooLarge = await court.ListOrderedVictimsAsync(caseNumber, pageSize: PageRequest.MaxSize + 1);
        Assert.Equal(HttpStatusCode.BadRequest, tooLarge.StatusCode);
        Assert.Contains("pageSize", tooLarge.ErrorContent());

        // Version 2 names B alone, at a higher loss: A's row goes, and a round gives everything to B.
        var store = RestitutionHost.Services.GetRequiredService<IDocumentStore>();
        var database = RestitutionHost.Services.GetRequiredService<NpgsqlDataSource>();
        await using var query = store.QuerySession();
        IApiResponse<RestitutionOrderView> amended;
        await using (var readBefore = (await OrderSnapshot.OpenAsync(database, query, caseNumber, CancellationToken.None))!)
        {
            amended = await court.RecordOrderAsync(caseNumber, order with
            {
                Victims = [new OrderedVictimInput(claimB, "Wang Wei", 250.00m)], AmendmentReason = "Li Hua's loss was repaid by the defendant",
            });
            // A read of the order begun before the amendment sees version 1 whole: its victims, their count and its history.
            Assert.Equal(1, readBefore.Order.OrderVersion);
            Assert.Equal([(claimA, 300.00m), (claimB, 200.00m)],
                (await readBefore.VictimsAsync(0, null, CancellationToken.None)).Select(v => (v.ClaimId, v.AdjudicatedLoss.Amount)));
            Assert.Equal(2, await readBefore.CountVictimsAsync(CancellationToken.None));
            Assert.Equal([1L], (await readBefore.HistoryAsync(CancellationToken.None)).Select(h => h.Version));
        }
        Assert.Equal(2, amended.Content!.OrderVersion);
        Assert.Equal([(claimB, 250.00m)], amended.Content.Terms.Victims.Select(v => (v.ClaimId, v.AdjudicatedLoss.Amount)));
        // The answer is the order as stored, and its history counts each version's victims without reading them.
        var stored = (await court.GetOrderAsync(caseNumber)).Content!;
        Assert.Equal(JsonSerializer.Serialize(stored), JsonSerializer.Serialize(amended.Content));
        Assert.Equal([
                (1L, nameof(RestitutionOrderRecorded), "judge-zhou",
                    "Order (2026) Yue 03 Xing Chu 120 of Shenzhen Intermediate People's Court (2026-09-01): 2 victim(s), 0 other creditor(s), ProRata"),
                (2L, nameof(RestitutionOrderAmended), "judge-zhou", "Amended to version 2: Li Hua's loss was repaid by the defendant"),
            ],
            stored.History.Select(h => (h.Version, h.Event, h.By!.Subject, h.Summary)));
        Assert.Equal($"0 {claimB} Wang Wei 250.00 0", await Victims());
        var investigator = RestitutionHost.Client<IRestitutionApi>(Roles.Investigator, "inspector-wu");
        var listed = (await investigator.ListOrderedVictimsAsync(caseNumber)).Content!;
        Assert.Equal((1L, claimB, 250.00m), (listed.Total, listed.Items.Single().ClaimId, listed.Items.Single().AdjudicatedLoss.Amount));
        var round = (await investigator.PlanRoundAsync(caseNumber, new PlanRoundRequest(100.00m, "ROUND-ROWS-1"))).Content!;
        Assert.Equal([("Wang Wei", 100.00m)], (await investigator.AllocationsAsync(caseNumber, round.RoundId)).Select(a => (a.Payee, a.Amount.Amount)));

        // An order recorded before the rows existed has none: the start-up fill takes them from the order's current terms.
        await System.ScalarAsync<object>($"delete from {rows} where order_id = @order", ("order", orderId));
        Assert.Null(await Victims());
        Assert.Equal(1, await OrderVictimRows.BackfillAsync(database, store.Options, CancellationToken.None));
        Assert.Equal($"0 {claimB} Wang Wei 250.00 0", await Victims());
        Assert.Equal(0, await OrderVictimRows.BackfillAsync(database, store.Options, CancellationToken.None));
        var second = (await investigator.PlanRoundAsync(caseNumber, new PlanRoundRequest(50.00m, "ROUND-ROWS-2"))).Content!;
        Assert.Equal([("Wang Wei", 50.00m)], (await investigator.AllocationsAsync(caseNumber, second.RoundId)).Select(a => (a.Payee, a.Amount.Amount)));
    }

    [Fact]
    public async Task Rounds_pay_the_order_in_the_legal_order_exactly_and_the_victims_see_what_was_paid()
    {
        var caseNumber = FreezeRequests.NewCaseNumber();
        var investigator = ClaimsHost.Client<IVictimClaimApi>(Roles.Investigator, "inspector-wu");
        var victimA = ClaimsHost.Client<IVictimClaimApi>(Roles.Victim, "victim-a");
        var victimB = ClaimsHost.Client<IVictimClaimApi>(Roles.Victim, "victim-b");
        var claimA = (await victimA.FileAsync(ClaimRequests.Valid(600.00m, caseNumber))).Content!.ClaimId;
        var claimB = (await victimB.FileAsync(ClaimRequests.Valid(400.00m, caseNumber))).Content!.ClaimId;
        await investigator.ApproveAsync(claimA, new ApproveClaimRequest(600.00m, "statement"));
        // B's verified loss (350.00) caps what B can be paid, below the 400.00 the court adjudicated.
        await investigator.ApproveAsync(claimB, new ApproveClaimRequest(350.00m, "statement; 50.00 was a loan repaid"));

        // 700.00 of 1,000.00 frozen goes into custody: the case's pool.
        var freezeId = await TracedCase.FreezeAsync(FreezeHost.Client<IFreezeApi>(Roles.BankLiaison, "officer-li"), caseNumber, TracedCase.MuleOne,
            1_000.00m, BankExecutionOutcome.FrozenInFull, 1_000.00m);
        var seizure = SeizureHost.Client<ISeizureApi>(Roles.Investigator, "inspector-wu");
        var seized = await Eventually.Until(() => seizure.SeizeFrozenFundsAsync(freezeId, new SeizeFrozenFundsRequest("SZPD-SZ-1", "court order", 700.00m)),
            r => r.StatusCode == HttpStatusCode.Accepted, what: "seizure to know the frozen funds");
        await Eventually.Until(async () => (await seizure.GetRecoveryPoolAsync(caseNumber)).Content?.Balances,
            b => b is [{ Amount: 700.00m }], what: "the pool to hold 700.00");

        var court = RestitutionHost.Client<IRestitutionApi>(Roles.Court, "judge-zhou");
        var order = new RecordRestitutionOrderRequest("Shenzhen Intermediate People's Court", "(2026) Yue 03 Xing Chu 118", new DateOnly(2026, 9, 1),
            ["Defendant One"], "CNY", DistributionPolicy.ProRata,
            [new OrderedVictimInput(claimA, "Li Hua", 600.00m), new OrderedVictimInput(claimB, "Wang Wei", 400.00m, RecoveredElsewhere: 100.00m)],
            [new OrderedCreditorInput("hospital", "Shenzhen People's Hospital", PriorityClass.MedicalCosts, 50.00m, "BOC", "6216600000000000009"),
             new OrderedCreditorInput("treasury", "State treasury (fine)", PriorityClass.Fines, 30.00m, "PBOC", "0000000000000001")]);
        var recorded = await Eventually.Until(() => court.RecordOrderAsync(caseNumber, order), r => r.IsSuccessStatusCode,
            what: "restitution to know both claims");
        Assert.Equal(1, recorded.Content!.OrderVersion);
        var noReason = await court.RecordOrderAsync(caseNumber, order with { Defendants = ["Defendant One", "Defendant Two"] });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var amended = (await court.RecordOrderAsync(caseNumber, order with
        {
            Defendants = ["Defendant One", "Defendant Two"], AmendmentReason = "Second defendant convicted on appeal",
        })).Content!;
        Assert.Equal((2, 2), (amended.OrderVersion, amended.History.Count));

        // Round one, 500.00: medical costs first (50.00); the victims share 450.00 pro rata on what is still due to them:
        // A 600.00, B min(400.00, 350.00) − 100.00 = 250.00 → A 450 × 600/850 = 317.647… → 317.65, B 132.35.
        var investigatorApi = RestitutionHost.Client<IRestitutionApi>(Roles.Investigator, "inspector-wu");
        var round = (await investigatorApi.PlanRoundAsync(caseNumber, new PlanRoundRequest(500.00m, "ROUND-1"))).Content!;
        Assert.Equal([("Shenzhen People's Hospital", 50.00m), ("Li Hua", 317.65m), ("Wang Wei", 132.35m)],
            (await investigatorApi.AllocationsAsync(caseNumber, round.RoundId)).Select(a => (a.Payee, a.Amount.Amount)));
        Assert.Equal(3, round.AllocationCount);
        Assert.Equal(500.00m, round.Distributed.Amount);
        await Eventually.Until(() => Round(investigatorApi, caseNumber, round.RoundId), r => r.Status == "Funded", what: "the pool to fund round one");
        Assert.Equal([new Money(200.00m, "CNY")], (await seizure.GetRecoveryPoolAsync(caseNumber)).Content!.Balances);

        // Round two asks more than the pool holds: the seizure service refuses, the round is cancelled, nothing moves.
        var tooBig = (await investigatorApi.PlanRoundAsync(caseNumber, new PlanRoundRequest(300.00m, "ROUND-2"))).Content!;
        var cancelled = await Eventually.Until(() => Round(investigatorApi, caseNumber, tooBig.RoundId), r => r.Status != "Planned",
            what: "the pool to answer round two");
        Assert.Equal("Cancelled", cancelled.Status);
        Assert.Contains("refused", cancelled.CancelReason);

        // The banks pay round one: the hospital and A; B's account is closed, so it is sent again to a corrected one.
        var bank = RestitutionHost.Client<IRestitutionApi>(Roles.BankLiaison, "officer-li");
        var payments = await Eventually.Until(async () => (await investigatorApi.ListPaymentsAsync(caseNumber)).Content!.Items, p => p.Count == 3,
            what: "round one's payment instructions");
        var toA = payments.Single(p => p.ClaimId == claimA);
        var toB = payments.Single(p => p.ClaimId == claimB);
        Assert.Equal(("6217000000000000001", "China Construction Bank"), (toA.AccountNumber, toA.BankName)); // the claim's return account
        Assert.Equal("Confirmed", (await bank.ConfirmPaymentAsync(toA.PaymentId, new ConfirmPaymentRequest("CCB-PAY-1"))).Content!.Status);
        Assert.Equal("Confirmed", (await bank.ConfirmPaymentAsync(toA.PaymentId, new ConfirmPaymentRequest("CCB-PAY-1"))).Content!.Status);
        var twice = await bank.ConfirmPaymentAsync(toA.PaymentId, new ConfirmPaymentRequest("CCB-PAY-OTHER"));
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains("payment.already-confirmed", twice.ErrorContent());
        await bank.ConfirmPaymentAsync(payments.Single(p => p.ClaimId is null).PaymentId, new ConfirmPaymentRequest("BOC-PAY-1"));
        Assert.Equal("Failed", (await bank.FailPaymentAsync(toB.PaymentId, new FailPaymentRequest("Account closed"))).Content!.Status);
        Assert.Equal(HttpStatusCode.Conflict, (await bank.ConfirmPaymentAsync(toB.PaymentId, new ConfirmPaymentRequest("X"))).StatusCode);
        // Listed a page at a time, in the order instructed, and by status.
        var first = (await bank.ListPaymentsAsync(caseNumber, pageSize: 2)).Content!;
        var second = (await bank.ListPaymentsAsync(caseNumber, page: 2, pageSize: 2)).Content!;
        Assert.Equal((2, 1, 3L, 3L), (first.Items.Count, second.Items.Count, first.Total, second.Total));
        Assert.Equal(payments.Select(p => p.PaymentId).Order(), first.Items.Concat(second.Items).Select(p => p.PaymentId).Order());
        var confirmed = (await bank.ListPaymentsAsync(caseNumber, status: "Confirmed")).Content!;
        Assert.Equal(new[] { toA.PaymentId, payments.Single(p => p.ClaimId is null).PaymentId }.Order(), confirmed.Items.Select(p => p.PaymentId).Order());
        Assert.Equal([toB.PaymentId], (await bank.ListPaymentsAsync(caseNumber, status: "failed")).Content!.Items.Select(p => p.PaymentId));
        Assert.Equal(HttpStatusCode.BadRequest, (await bank.ListPaymentsAsync(caseNumber, status: "Lost")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await bank.ListPaymentsAsync(caseNumber, pageSize: 0)).StatusCode);
        // B gives another account on the portal; the failed payment goes out again to it.
        Assert.True((await victimB.ChangeReturnAccountAsync(claimB, new ReturnAccountInput("ICBC", "6222020200009999999", "Wang Wei"))).IsSuccessStatusCode);
        var again = await Eventually.Until(async () => (await investigatorApi.ListPaymentsAsync(caseNumber)).Content!.Items.Single(p => p.PaymentId == toB.PaymentId),
            p => p.Status == "Instructed", what: "the failed payment to be sent again to B's new account");
        Assert.Equal((2, "6222020200009999999", "ICBC"), (again.Attempts, again.AccountNumber, again.BankName));
        Assert.Equal(HttpStatusCode.Conflict,
            (await investigatorApi.ReinstructPaymentAsync(toB.PaymentId, new ReinstructPaymentRequest("ICBC", "6222020200001111111"))).StatusCode);
        await bank.ConfirmPaymentAsync(toB.PaymentId, new ConfirmPaymentRequest("ICBC-PAY-2"));

        // Round one's allocations, listed in parts of two, read the same at any page size.
        var roundOne = await investigatorApi.AllocationsAsync(caseNumber, round.RoundId, pageSize: 2);
        Assert.Equal(3, roundOne.Count);
        Assert.Equal(roundOne, await investigatorApi.AllocationsAsync(caseNumber, round.RoundId, pageSize: 1));
        Assert.Equal(roundOne, await investigatorApi.AllocationsAsync(caseNumber, round.RoundId, pageSize: 3));
        // Round one as a round recorded before its allocations were listed apart (all of them as columns in its planned
        // event), then as one recorded before the columns (one object each): read the same, page by page, and counted
        // the same when round three works out what is still due.
        const string planned = "type = 'distribution_round_planned' and data ->> 'RoundId' = @round";
        const string parts = "type = 'distribution_round_allocations_listed' and data ->> 'RoundId' = @round";
        var roundParameter = ("round", (object)round.RoundId.ToString());
        Task<string?> StoredShape() => System.ScalarAsync<string>($"select jsonb_typeof(data -> 'Allocations') from {System.EventsSchema}.mt_events " +
            $"where {planned}", roundParameter);
        Assert.Equal(2L, await System.ScalarAsync<long>($"select count(*) from {System.EventsSchema}.mt_events where {parts}", roundParameter));
        // The round's payment ids follow one another: each part names its first instead of listing them.
        Assert.Equal(2L, await System.ScalarAsync<long>($"select count(*) from {System.EventsSchema}.mt_events where {parts} " +
            "and data -> 'Allocations' ->> 'PaymentIdsFrom' is not null and data -> 'Allocations' -> 'PaymentIds' is null", roundParameter));
        // The two earlier shapes, written here as they were: every payment id and currency listed; one object each.
        var asColumns = JsonSerializer.Serialize(new
        {
            PaymentIds = roundOne.Select(a => a.PaymentId), Classes = roundOne.Select(a => (int)a.Class), ClaimIds = roundOne.Select(a => a.ClaimId),
            CreditorIds = roundOne.Select(a => a.CreditorId), Payees = roundOne.Select(a => a.Payee), Amounts = roundOne.Select(a => a.Amount.Amount),
            Currencies = roundOne.Select(a => a.Amount.Currency),
        });
        await System.ScalarAsync<object>($"update {System.EventsSchema}.mt_events set data = (data - 'AllocationsListedApart') || " +
            $"jsonb_build_object('Allocations', @allocations::jsonb) where {planned}; delete from {System.EventsSchema}.mt_events where {parts}",
            roundParameter, ("allocations", asColumns));
        Assert.Equal("object", await StoredShape());
        Assert.Equal(roundOne, await investigatorApi.AllocationsAsync(caseNumber, round.RoundId, pageSize: 2));
        await System.ScalarAsync<object>($"update {System.EventsSchema}.mt_events set data = jsonb_set(data, '{{Allocations}}', @allocations::jsonb) " +
            $"where {planned}", roundParameter, ("allocations", JsonSerializer.Serialize(roundOne)));
        Assert.Equal("array", await StoredShape());
        Assert.Equal(roundOne, await investigatorApi.AllocationsAsync(caseNumber, round.RoundId, pageSize: 2));

        // Round three takes the pool's last 200.00: A is due 282.35, B 117.65 → A 141.18, B 58.82 (the spare fen to A).
        var last = (await investigatorApi.PlanRoundAsync(caseNumber, new PlanRoundRequest(200.00m, "ROUND-3"))).Content!;
        Assert.Equal([("Li Hua", 141.18m), ("Wang Wei", 58.82m)], (await investigatorApi.AllocationsAsync(caseNumber, last.RoundId)).Select(a => (a.Payee, a.Amount.Amount)));

        // Each victim sees the order and what the banks confirmed.
        var trailA = await Eventually.Until(async () => (await victimA.GetAsync(claimA)).Content!.MoneyTrail, t => t.Paid == 317.65m,
            what: "A's paid figure");
        Assert.Equal((600.00m, 317.65m, (decimal?)282.35m), (trailA.Ordered, trailA.Paid, trailA.Outstanding));
        var trailB = await Eventually.Until(async () => (await victimB.GetAsync(claimB)).Content!.MoneyTrail, t => t.Paid == 132.35m,
            what: "B's paid figure");
        Assert.Equal((400.00m, (decimal?)217.65m), (trailB.Ordered, trailB.Outstanding));
        Assert.Contains((await victimA.GetNotificationsAsync(claimA)).Content!, n => n.Message.Contains("paid to you 317.65 CNY"));
    }

    [Fact]
    public async Task An_orders_victims_listed_apart_reach_the_victims_once_all_are_in_in_whatever_order_they_arrive()
    {
        var caseNumber = FreezeRequests.NewCaseNumber();
        var investigator = ClaimsHost.Client<IVictimClaimApi>(Roles.Investigator, "inspector-wu");
        var victimA = ClaimsHost.Client<IVictimClaimApi>(Roles.Victim, "victim-parts-a");
        var victimB = ClaimsHost.Client<IVictimClaimApi>(Roles.Victim, "victim-parts-b");
        var claimA = (await victimA.FileAsync(ClaimRequests.Valid(300.00m, caseNumber))).Content!.ClaimId;
        var claimB = (await victimB.FileAsync(ClaimRequests.Valid(200.00m, caseNumber))).Content!.ClaimId;
        await investigator.ApproveAsync(claimA, new ApproveClaimRequest(300.00m, "statement"));
        await investigator.ApproveAsync(claimB, new ApproveClaimRequest(200.00m, "statement"));
        // B is read first: a version is taken at once, so once B shows it, A (read after) shows it too. Read the other
        // way round, a version taken between the two reads gave A's old amount beside B's new one.
        async Task<(decimal A, decimal B)> Ordered()
        {
            var b = (await victimB.GetAsync(claimB)).Content!.MoneyTrail.Ordered;
            return ((await victimA.GetAsync(claimA)).Content!.MoneyTrail.Ordered, b);
        }
        var restitution = $"{System.DocumentsSchema("victim-claim")}.mt_doc_caserestitution";
        var parts = $"{System.DocumentsSchema("victim-claim")}.mt_doc_ordervictimspart";
        Task<string?> Pending() => System.ScalarAsync<string>(
            $"select concat_ws('/', data ->> 'OrderVersion', data ->> 'PendingVersion', data ->> 'PendingVictims') from {restitution} where id = @case",
            ("case", caseNumber));
        Task<long> PartsKept() => System.ScalarAsync<long>($"select count(*) from {parts} where data ->> 'CaseNumber' = @case", ("case", caseNumber));

        // The events as restitution's relay would publish them, out of their order: the second victim before the
        // order's event, and the first after it.
        var bus = ClaimsHost.Services.GetRequiredService<IBus>();
        var (orderId, judge, at) = (Guid.NewGuid(), new Actor("judge-zhou", "Judge Zhou", Roles.Court), DateTimeOffset.UtcNow);
        var terms = new RestitutionOrderTerms("Shenzhen Intermediate People's Court", "(2026) Yue 03 Xing Chu 121", new DateOnly(2026, 9, 1),
            ["Defendant One"], "CNY", DistributionPolicy.ProRata, [], []);
        OrderedVictim Victim(Guid claimId, decimal loss) => new(claimId, "Victim", new Money(loss, "CNY"), new Money(0m, "CNY"));
        await bus.Publish(new RestitutionOrderVictimsListed(orderId, caseNumber, 1, 1, [Victim(claimB, 200.00m)]));
        await bus.Publish(new RestitutionOrderRecorded(orderId, caseNumber, terms, judge, at, VictimsListedApart: 2));
        await Eventually.Until(Pending, p => p == "0/1/2", what: "version 1 to wait for its first victim");
        Assert.Equal((0m, 0m), await Ordered());
        Assert.Equal(1, await PartsKept());
        await bus.Publish(new RestitutionOrderVictimsListed(orderId, caseNumber, 1, 0, [Victim(claimA, 300.00m)]));
        Assert.Equal((300.00m, 200.00m), await Eventually.Until(Ordered, o => o.B != 0m, what: "version 1's amounts"));
        Assert.Equal(("1/0", 0L), (await Pending(), await PartsKept()));

        // Version 2 names B alone at 250.00. Until its victim is in, both keep version 1's amounts; a late copy of
        // version 1's part changes nothing.
        await bus.Publish(new RestitutionOrderAmended(orderId, caseNumber, 2, terms, "Li Hua was repaid", judge, at.AddMinutes(1), VictimsListedApart: 1));
        await Eventually.Until(Pending, p => p == "1/2/1", what: "version 2 to wait for its victim");
        Assert.Equal((300.00m, 200.00m), await Ordered());
        await bus.Publish(new RestitutionOrderVictimsListed(orderId, caseNumber, 1, 0, [Victim(claimA, 300.00m)]));
        await bus.Publish(new RestitutionOrderVictimsListed(orderId, caseNumber, 2, 0, [Victim(claimB, 250.00m)]));
        Assert.Equal((0m, 250.00m), await Eventually.Until(Ordered, o => o.B != 200.00m, what: "version 2's amounts"));
        Assert.Equal(("2/0", 0L), (await Pending(), await PartsKept()));
    }

    private static async Task<DistributionRoundView> Round(IRestitutionApi api, string caseNumber, Guid roundId) =>
        (await api.ListRoundsAsync(caseNumber)).Content!.Single(r => r.RoundId == roundId);
}
