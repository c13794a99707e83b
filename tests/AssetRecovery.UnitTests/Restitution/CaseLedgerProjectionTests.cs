using System.Text.Json;
using System.Text.Json.Nodes;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Restitution;
using AssetRecovery.Restitution.Distribution;
using AssetRecovery.Restitution.Ledger;
using JasperFx.Events;

namespace AssetRecovery.UnitTests.Restitution;

/// <summary>The case ledger's account of a round's payments, applied event by event as the async daemon would.</summary>
public sealed class CaseLedgerProjectionTests
{
    private static readonly Actor Bank = new("bank-icbc", "ICBC", "BankLiaison");
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
    private long _sequence;

    private IEvent<T> Event<T>(T data) where T : notnull => new Event<T>(data) { Sequence = ++_sequence, Timestamp = Now };

    [Fact]
    public void Confirmed_payments_count_as_paid_and_only_a_confiscation_creditors_as_confiscated()
    {
        var projection = new CaseLedgerProjection();
        var ledger = new CaseLedger { Id = "SZ-2026-100777" };
        var (roundId, claimId) = (Guid.NewGuid(), Guid.NewGuid());
        var toVictim = new RoundAllocation(Guid.NewGuid(), PriorityClass.VictimLosses, claimId, null, "Li Hua", new Money(317.65m, "CNY"));
        var toState = new RoundAllocation(Guid.NewGuid(), PriorityClass.Confiscation, null, "treasury", "State treasury", new Money(30.00m, "CNY"));
        projection.Apply(Event(new DistributionRoundPlanned(roundId, ledger.Id, Guid.NewGuid(), 1, DistributionPolicy.ProRata,
            new Money(347.65m, "CNY"), new Money(347.65m, "CNY"), [toVictim, toState], "ROUND-1", Bank, Now)), ledger);

        foreach (var a in new[] { toVictim, toState })
            projection.Apply(Event(new PaymentConfirmed(a.PaymentId, roundId, ledger.Id, a.ClaimId, a.Amount, $"REF-{a.Payee}", Bank, Now)), ledger);

        Assert.Equal(347.65m, ledger.Paid["CNY"]);
        Assert.Equal(30.00m, ledger.Confiscated["CNY"]);
        Assert.Equal((317.65m, 317.65m), (ledger.Victims[claimId].Allocated, ledger.Victims[claimId].Paid));
        // A victim's payment is VictimLosses by definition: only the other creditors' classes are kept.
        Assert.Equal([toState.PaymentId], ledger.PaymentClasses.Keys);
    }

    [Fact]
    public void An_orders_victims_listed_apart_are_ordered_and_an_amendment_replaces_them()
    {
        var projection = new CaseLedgerProjection();
        var ledger = new CaseLedger { Id = "SZ-2026-100778" };
        var (orderId, a, b) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        OrderedVictim Victim(Guid claimId, decimal loss) => new(claimId, $"Victim {loss}", new Money(loss, "CNY"), new Money(0m, "CNY"));
        var terms = new RestitutionOrderTerms("Court", "J-1", new DateOnly(2026, 9, 1), ["Defendant"], "CNY", DistributionPolicy.ProRata, [], []);
        projection.Apply(Event(new RestitutionOrderRecorded(orderId, ledger.Id, terms, Bank, Now, VictimsListedApart: 2)), ledger);
        projection.Apply(Event(new RestitutionOrderVictimsListed(orderId, ledger.Id, 1, 0, [Victim(a, 300.00m)])), ledger);
        projection.Apply(Event(new RestitutionOrderVictimsListed(orderId, ledger.Id, 1, 1, [Victim(b, 200.00m)])), ledger);
        Assert.Equal((300.00m, 200.00m), (ledger.Victims[a].Ordered, ledger.Victims[b].Ordered));

        // Version 2 names B alone: A is no longer ordered anything.
        projection.Apply(Event(new RestitutionOrderAmended(orderId, ledger.Id, 2, terms, "A was repaid", Bank, Now, VictimsListedApart: 1)), ledger);
        projection.Apply(Event(new RestitutionOrderVictimsListed(orderId, ledger.Id, 2, 0, [Victim(b, 250.00m)])), ledger);
        Assert.Equal((0m, 250.00m), (ledger.Victims[a].Ordered, ledger.Victims[b].Ordered));
        // An order recorded before victims were listed apart carries them in its terms.
        projection.Apply(Event(new RestitutionOrderAmended(orderId, ledger.Id, 3, terms with { Victims = [Victim(a, 100.00m)] }, "earlier shape",
            Bank, Now)), ledger);
        Assert.Equal((100.00m, 0m), (ledger.Victims[a].Ordered, ledger.Victims[b].Ordered));
    }

    [Fact]
    public void A_cancelled_round_releases_its_allocations_and_a_funded_one_keeps_none_per_victim()
    {
        var projection = new CaseLedgerProjection();
        var ledger = new CaseLedger { Id = "SZ-2026-100779" };
        var claimId = Guid.NewGuid();
        Guid Plan(decimal amount)
        {
            var roundId = Guid.NewGuid();
            projection.Apply(Event(new DistributionRoundPlanned(roundId, ledger.Id, Guid.NewGuid(), 1, DistributionPolicy.ProRata, new Money(amount, "CNY"),
                new Money(amount, "CNY"), [new RoundAllocation(Guid.NewGuid(), PriorityClass.VictimLosses, claimId, null, "Li Hua", new Money(amount, "CNY"))],
                "ROUND", Bank, Now)), ledger);
            return roundId;
        }
        var refused = Plan(500.00m);
        var funded = Plan(300.00m);
        Assert.Equal(800.00m, ledger.Victims[claimId].Allocated);

        projection.Apply(Event(new DistributionRoundCancelled(refused, ledger.Id, "The pool refused it", Now)), ledger);
        projection.Apply(Event(new DistributionRoundFunded(funded, ledger.Id, new Money(300.00m, "CNY"), Now)), ledger);
        Assert.Equal(300.00m, ledger.Victims[claimId].Allocated);
        Assert.Equal(("Cancelled", "Funded"), (ledger.Rounds[refused].Status, ledger.Rounds[funded].Status));
        Assert.Empty(ledger.Rounds[funded].VictimAllocations);
    }

    [Fact]
    public void A_rounds_allocations_listed_apart_are_allocated_part_by_part_and_a_cancellation_releases_them_all()
    {
        var projection = new CaseLedgerProjection();
        var ledger = new CaseLedger { Id = "SZ-2026-100780" };
        var (roundId, a, b) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        RoundAllocation Allocation(Guid? claimId, decimal amount) => new(Guid.NewGuid(), claimId is null ? PriorityClass.Confiscation : PriorityClass.VictimLosses,
            claimId, claimId is null ? "treasury" : null, $"Payee {amount}", new Money(amount, "CNY"));
        var toState = Allocation(null, 30.00m);
        var round = new DistributionRoundPlanned(roundId, ledger.Id, Guid.NewGuid(), 1, DistributionPolicy.ProRata, new Money(400.00m, "CNY"),
            new Money(400.00m, "CNY"), [Allocation(a, 250.00m), Allocation(b, 120.00m), toState], "ROUND-1", Bank, Now);

        var appended = RoundPlanning.Appended(round, perEvent: 2).ToList();
        Assert.Equal([typeof(DistributionRoundPlanned), typeof(DistributionRoundAllocationsListed), typeof(DistributionRoundAllocationsListed),
            typeof(DistributionRoundFundingRequested)], appended.Select(e => e.GetType()));
        var stated = (DistributionRoundPlanned)appended[0];
        Assert.Equal((0, 3, 3), (stated.Allocations.Count, stated.AllocationsListedApart, stated.AllocationCount()));
        projection.Apply(Event(stated), ledger);
        foreach (var part in appended.OfType<DistributionRoundAllocationsListed>()) projection.Apply(Event(part), ledger);

        Assert.Equal((250.00m, 120.00m), (ledger.Victims[a].Allocated, ledger.Victims[b].Allocated));
        Assert.Equal((400.00m, 400.00m), (ledger.Rounds[roundId].Distributed, ledger.Rounds[roundId].SumOfAllocations));
        Assert.Equal([toState.PaymentId], ledger.PaymentClasses.Keys);
        projection.Apply(Event(new DistributionRoundCancelled(roundId, ledger.Id, "The pool refused it", Now)), ledger);
        Assert.Equal((0m, 0m), (ledger.Victims[a].Allocated, ledger.Victims[b].Allocated));
    }

    [Fact]
    public void A_victim_is_stored_without_its_claim_id_or_what_is_zero_and_read_back_whole()
    {
        var ledger = new CaseLedger { Id = "SZ-2026-100780" };
        var (ordered, reported) = (Guid.NewGuid(), Guid.NewGuid());
        (ledger.Victim(ordered).Name, ledger.Victim(ordered).Currency, ledger.Victim(ordered).Ordered) = ("Li Hua", "CNY", 300.00m);
        (ledger.Victim(reported).Currency, ledger.Victim(reported).Reported, ledger.Victim(reported).Verified) = ("CNY", 120.50m, 0m);

        var json = JsonSerializer.Serialize(ledger);
        var stored = JsonNode.Parse(json)!["Victims"]!;
        Assert.Equal("""{"Name":"Li Hua","Currency":"CNY","Ordered":300.00}""", stored[ordered.ToString()]!.ToJsonString());
        Assert.Equal("""{"Currency":"CNY","Reported":120.50,"Verified":0}""", stored[reported.ToString()]!.ToJsonString());

        var read = JsonSerializer.Deserialize<CaseLedger>(json)!;
        Assert.Equal([(ordered, "Li Hua", 300.00m, 0m, (decimal?)null), (reported, null, 0m, 120.50m, 0m)],
            read.Victims.Values.Select(v => (v.ClaimId, v.Name, v.Ordered, v.Reported, v.Verified)));
    }
}
