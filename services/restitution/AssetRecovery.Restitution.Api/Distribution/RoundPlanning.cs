using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Restitution;

namespace AssetRecovery.Restitution.Distribution;

/// <summary>Works out a round from the order, what earlier rounds gave, and the victims' verified losses.</summary>
public static class RoundPlanning
{
    /// <summary>
    /// Everyone the order names, with what they are owed and what rounds not cancelled allocated them
    /// (<see cref="RoundAllocations.AllocatedMinorAsync"/>).
    /// </summary>
    /// <remarks>The victims come first, in the order's sequence, then the creditors: <see cref="Plan"/> relies on it.</remarks>
    public static List<Payee> Payees(OrderForRound order, IReadOnlyDictionary<string, long> allocated)
    {
        var currency = order.Currency;
        long Minor(decimal amount) => Currencies.ToMinorUnits(amount, currency);
        var payees = new List<Payee>(order.Victims.Count + order.Creditors.Count);
        foreach (var victim in order.Victims)
        {
            // Never more than the loss the investigator verified, when it is lower than the adjudicated loss.
            var owed = Minor(victim.AdjudicatedLoss);
            if (victim.VerifiedLoss is { } verified && verified.Currency == currency)
                owed = Math.Min(owed, Minor(verified.Amount));
            var key = PayeeKeys.Victim(victim.ClaimId);
            payees.Add(new Payee(key, PriorityClass.VictimLosses, owed, Minor(victim.RecoveredElsewhere), allocated.GetValueOrDefault(key)));
        }
        foreach (var creditor in order.Creditors)
        {
            var key = PayeeKeys.Creditor(creditor.CreditorId);
            payees.Add(new Payee(key, creditor.Class, Minor(creditor.Amount.Amount), 0, allocated.GetValueOrDefault(key)));
        }
        return payees;
    }

    public static DistributionRoundPlanned Plan(Guid roundId, OrderForRound order, CaseDistribution? distribution,
        IReadOnlyDictionary<string, long> allocated, decimal amount, string reference, Actor actor, DateTimeOffset now)
    {
        if (distribution?.ClosedAt is not null)
            throw new DomainRuleViolationException("case.closed", $"The case's recovery was closed: {distribution.ClosedReason}");
        var currency = order.Currency;
        var payees = Payees(order, allocated);
        var split = DistributionCalculator.Split(Currencies.ToMinorUnits(amount, currency), payees, order.Policy);
        if (split.Count == 0)
            throw new DomainRuleViolationException("round.nothing-due", "Everyone the order names has been allocated all they are due.");
        // Payees lists the order's victims, then its creditors: a payee's position says whom it stands for.
        var positions = new Dictionary<Payee, int>(payees.Count, ReferenceEqualityComparer.Instance);
        for (var i = 0; i < payees.Count; i++) positions.Add(payees[i], i);
        var paymentIds = TimeOrderedIds.Consecutive(split.Count, now);
        var allocations = new List<RoundAllocation>(split.Count);
        long distributedMinor = 0;
        for (var i = 0; i < split.Count; i++)
        {
            var (payee, minor) = split[i];
            var money = new Money(Currencies.FromMinorUnits(minor, currency), currency);
            var position = positions[payee];
            if (position < order.Victims.Count)
            {
                var victim = order.Victims[position];
                allocations.Add(new RoundAllocation(paymentIds[i], PriorityClass.VictimLosses, victim.ClaimId, null, victim.Name, money));
            }
            else
            {
                var creditor = order.Creditors[position - order.Victims.Count];
                allocations.Add(new RoundAllocation(paymentIds[i], payee.Class, null, creditor.CreditorId, creditor.Name, money));
            }
            distributedMinor += minor;
        }
        var distributed = Currencies.FromMinorUnits(distributedMinor, currency);
        return new DistributionRoundPlanned(roundId, order.CaseNumber, order.OrderId, order.OrderVersion, order.Policy, new Money(amount, currency),
            new Money(distributed, currency), allocations, reference, actor, now);
    }

    /// <summary>
    /// The round as it is appended to the case's distribution stream: its event without the allocations, the allocations
    /// <paramref name="perEvent"/> to an event in the split's order, then the request for its money.
    /// </summary>
    public static IEnumerable<object> Appended(DistributionRoundPlanned round, int perEvent)
    {
        yield return round with { Allocations = [], AllocationsListedApart = round.Allocations.Count };
        foreach (var (part, index) in round.Allocations.Chunk(perEvent).Select((part, index) => (part, index)))
            yield return new DistributionRoundAllocationsListed(round.RoundId, round.CaseNumber, index * perEvent, part);
        yield return DistributionRoundFundingRequested.Of(round);
    }
}
