using System.Text.Json;
using System.Text.Json.Nodes;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Restitution;
using AssetRecovery.Restitution.Distribution;
using AssetRecovery.Restitution.Ledger;
using JasperFx.Events;

namespace AssetRecovery.UnitTests.Restitution;

/// <summary>The case ledger and its victims, applied event by event as the async daemon's batches would.</summary>
public sealed class CaseLedgerProjectionTests
{
    private static readonly Actor Bank = new("bank-icbc", "ICBC", "BankLiaison");
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
    private long _sequence;
    private readonly Dictionary<Guid, LedgerVictim> _victims = [];

    private void Apply<T>(CaseLedger ledger, T data) where T : notnull =>
        CaseLedgerProjection.Apply(new Event<T>(data) { Sequence = ++_sequence, Timestamp = Now }, ledger, claimId =>
            _victims.TryGetValue(claimId, out var victim) ? victim : _victims[claimId] = new LedgerVictim { ClaimId = claimId });

    [Fact]
    public void Confirmed_payments_count_as_paid_once_and_only_a_confiscation_creditors_as_confiscated()
    {
        var ledger = new CaseLedger { Id = "SZ-2026-100777" };
        var (roundId, claimId) = (Guid.NewGuid(), Guid.NewGuid());
        var toVictim = new RoundAllocation(Guid.NewGuid(), PriorityClass.VictimLosses, claimId, null, "Li Hua", new Money(317.65m, "CNY"));
        var toState = new RoundAllocation(Guid.NewGuid(), PriorityClass.Confiscation, null, "treasury", "State treasury", new Money(30.00m, "CNY"));
        // A round recorded before its allocations were listed apart carries them in its planned event.
        Apply(ledger, new DistributionRoundPlanned(roundId, ledger.Id, Guid.NewGuid(), 1, DistributionPolicy.ProRata,
            new Money(347.65m, "CNY"), new Money(347.65m, "CNY"), [toVictim, toState], "ROUND-1", Bank, Now));

        foreach (var a in new[] { toVictim, toState, toVictim, toState })
            Apply(ledger, new PaymentConfirmed(a.PaymentId, roundId, ledger.Id, a.ClaimId, a.Amount, $"REF-{a.Payee}", Bank, Now));

        Assert.Equal(347.65m, ledger.Paid["CNY"]);
        Assert.Equal(30.00m, ledger.Confiscated["CNY"]);
        Assert.Equal((317.65m, 317.65m), (ledger.Allocated(_victims[claimId]), _victims[claimId].Paid));
        // A victim's payment is VictimLosses by definition: only the other creditors' classes and confirmations are kept.
        Assert.Equal([toState.PaymentId], ledger.PaymentClasses.Keys);
        Assert.Equal([toState.PaymentId], ledger.ConfirmedPayments.Keys);
    }

    [Fact]
    public void An_orders_victims_listed_apart_are_ordered_and_an_amendment_replaces_them()
    {
        var ledger = new CaseLedger { Id = "SZ-2026-100778" };
        var (orderId, a, b) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        OrderedVictim Victim(Guid claimId, decimal loss) => new(claimId, $"Victim {loss}", new Money(loss, "CNY"), new Money(0m, "CNY"));
        var terms = new RestitutionOrderTerms("Court", "J-1", new DateOnly(2026, 9, 1), ["Defendant"], "CNY", DistributionPolicy.ProRata, [], []);
        (decimal A, decimal B) Ordered() => (ledger.Ordered(_victims[a]), ledger.Ordered(_victims[b]));
        Apply(ledger, new RestitutionOrderRecorded(orderId, ledger.Id, terms, Bank, Now, VictimsListedApart: 2));
        Apply(ledger, new RestitutionOrderVictimsListed(orderId, ledger.Id, 1, 0, [Victim(a, 300.00m)]));
        Apply(ledger, new RestitutionOrderVictimsListed(orderId, ledger.Id, 1, 1, [Victim(b, 200.00m)]));
        Assert.Equal((300.00m, 200.00m), Ordered());

        // Version 2 names B alone: A is no longer ordered anything, though only B's figures were written.
        Apply(ledger, new RestitutionOrderAmended(orderId, ledger.Id, 2, terms, "A was repaid", Bank, Now, VictimsListedApart: 1));
        Apply(ledger, new RestitutionOrderVictimsListed(orderId, ledger.Id, 2, 0, [Victim(b, 250.00m)]));
        Assert.Equal((0m, 250.00m), Ordered());
        // An order recorded before victims were listed apart carries them in its terms.
        Apply(ledger, new RestitutionOrderAmended(orderId, ledger.Id, 3, terms with { Victims = [Victim(a, 100.00m)] }, "earlier shape", Bank, Now));
        Assert.Equal((100.00m, 0m), Ordered());
    }

    [Fact]
    public void A_rounds_allocations_listed_apart_are_allocated_part_by_part_and_a_cancelled_round_counts_for_nobody()
    {
        var ledger = new CaseLedger { Id = "SZ-2026-100780" };
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        RoundAllocation Allocation(Guid? claimId, decimal amount) => new(Guid.NewGuid(), claimId is null ? PriorityClass.Confiscation : PriorityClass.VictimLosses,
            claimId, claimId is null ? "treasury" : null, $"Payee {amount}", new Money(amount, "CNY"));
        var toState = Allocation(null, 30.00m);
        Guid Plan(decimal toA, decimal toB, params RoundAllocation[] others)
        {
            var roundId = Guid.NewGuid();
            RoundAllocation[] allocations = [Allocation(a, toA), Allocation(b, toB), .. others];
            var total = allocations.Sum(x => x.Amount.Amount);
            var round = new DistributionRoundPlanned(roundId, ledger.Id, Guid.NewGuid(), 1, DistributionPolicy.ProRata, new Money(total, "CNY"),
                new Money(total, "CNY"), allocations, "ROUND", Bank, Now);
            var appended = RoundPlanning.Appended(round, perEvent: 2).ToList();
            foreach (var e in appended)
                switch (e)
                {
                    case DistributionRoundPlanned planned: Apply(ledger, planned); break;
                    case DistributionRoundAllocationsListed part: Apply(ledger, part); break;
                }
            return roundId;
        }

        var first = Plan(250.00m, 120.00m, toState);
        var appendedShape = RoundPlanning.Appended(new DistributionRoundPlanned(Guid.NewGuid(), ledger.Id, Guid.NewGuid(), 1, DistributionPolicy.ProRata,
            new Money(1m, "CNY"), new Money(1m, "CNY"), [Allocation(a, 0.50m), Allocation(b, 0.25m), toState with { Amount = new Money(0.25m, "CNY") }],
            "SHAPE", Bank, Now), perEvent: 2).ToList();
        Assert.Equal([typeof(DistributionRoundPlanned), typeof(DistributionRoundAllocationsListed), typeof(DistributionRoundAllocationsListed),
            typeof(DistributionRoundFundingRequested)], appendedShape.Select(e => e.GetType()));
        var stated = (DistributionRoundPlanned)appendedShape[0];
        Assert.Equal((0, 3, 3), (stated.Allocations.Count, stated.AllocationsListedApart, stated.AllocationCount()));

        Assert.Equal((250.00m, 120.00m), (ledger.Allocated(_victims[a]), ledger.Allocated(_victims[b])));
        Assert.Equal((400.00m, 400.00m), (ledger.Rounds[first].Distributed, ledger.Rounds[first].SumOfAllocations));
        Assert.Equal([toState.PaymentId], ledger.PaymentClasses.Keys);
        var second = Plan(50.00m, 30.00m);
        Apply(ledger, new DistributionRoundCancelled(first, ledger.Id, "The pool refused it", Now));
        Apply(ledger, new DistributionRoundFunded(second, ledger.Id, new Money(80.00m, "CNY"), Now));
        Assert.Equal((50.00m, 30.00m), (ledger.Allocated(_victims[a]), ledger.Allocated(_victims[b])));
        Assert.Equal(("Cancelled", "Funded"), (ledger.Rounds[first].Status, ledger.Rounds[second].Status));
    }

    [Fact]
    public void A_victim_is_stored_without_what_is_zero_or_unknown_and_read_back_whole()
    {
        var ordered = new LedgerVictim { Id = "SZ-2026-100780/a", CaseNumber = "SZ-2026-100780", ClaimId = Guid.NewGuid(), Name = "Li Hua",
            Currency = "CNY", Ordered = 300.00m, OrderVersion = 1 };
        var reported = new LedgerVictim { Id = "SZ-2026-100780/b", CaseNumber = "SZ-2026-100780", ClaimId = Guid.NewGuid(), Currency = "CNY",
            Reported = 120.50m, Verified = 0m };

        var stored = JsonNode.Parse(JsonSerializer.Serialize(reported))!.AsObject();
        Assert.Equal(["Id", "CaseNumber", "ClaimId", "Currency", "Reported", "Verified"], stored.Select(p => p.Key));

        var (round, payment) = (Guid.NewGuid(), Guid.NewGuid());
        var paid = new LedgerVictim { Id = "SZ-2026-100780/c", CaseNumber = "SZ-2026-100780", ClaimId = Guid.NewGuid(), Currency = "CNY",
            AllocatedByRound = new() { [round] = 80.00m }, ConfirmedPayments = [payment], Paid = 80.00m };
        foreach (var victim in new[] { ordered, reported, paid })
        {
            var read = JsonSerializer.Deserialize<LedgerVictim>(JsonSerializer.Serialize(victim))!;
            Assert.Equal((victim.ClaimId, victim.Name, victim.Ordered, victim.OrderVersion, victim.Reported, victim.Verified, victim.Paid),
                (read.ClaimId, read.Name, read.Ordered, read.OrderVersion, read.Reported, read.Verified, read.Paid));
            Assert.Equal(victim.AllocatedByRound?.ToList(), read.AllocatedByRound?.ToList());
            Assert.Equal(victim.ConfirmedPayments?.ToList(), read.ConfirmedPayments?.ToList());
        }
    }
}
