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
        var victims = order.Victims.ToDictionary(x => PayeeKeys.Victim(x.ClaimId));
        var creditors = order.Creditors.ToDictionary(x => PayeeKeys.Creditor(x.CreditorId));
        var allocations = split.Select(part =>
        {
            var money = new Money(Currencies.FromMinorUnits(part.AmountMinor, currency), currency);
            return victims.TryGetValue(part.Payee.Key, out var victim)
                ? new RoundAllocation(Guid.CreateVersion7(now), PriorityClass.VictimLosses, victim.ClaimId, null, victim.Name, money)
                : new RoundAllocation(Guid.CreateVersion7(now), part.Payee.Class, null, creditors[part.Payee.Key].CreditorId,
                    creditors[part.Payee.Key].Name, money);
        }).ToList();
        var distributed = Currencies.FromMinorUnits(split.Sum(p => p.AmountMinor), currency);
        return new DistributionRoundPlanned(roundId, order.CaseNumber, order.OrderId, order.OrderVersion, order.Policy, new Money(amount, currency),
            new Money(distributed, currency), allocations, reference, actor, now);
    }
}
