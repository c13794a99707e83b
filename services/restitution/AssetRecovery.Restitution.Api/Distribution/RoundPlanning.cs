using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Restitution;
using AssetRecovery.Restitution.Claimants;
using AssetRecovery.Restitution.Orders;

namespace AssetRecovery.Restitution.Distribution;

/// <summary>Works out a round from the order, what earlier rounds gave, and the victims' verified losses.</summary>
public static class RoundPlanning
{
    /// <summary>
    /// Everyone the order names, with what they are owed and what rounds not cancelled allocated them
    /// (<see cref="RoundAllocations.AllocatedMinorAsync"/>).
    /// </summary>
    public static List<Payee> Payees(RestitutionOrder order, IReadOnlyDictionary<string, long> allocated, IReadOnlyDictionary<Guid, Money?> verifiedLosses)
    {
        var currency = order.Terms.Currency;
        long Minor(Money money) => Currencies.ToMinorUnits(money.Amount, currency);
        var payees = new List<Payee>();
        foreach (var victim in order.Terms.Victims)
        {
            // Never more than the loss the investigator verified, when it is lower than the adjudicated loss.
            var owed = Minor(victim.AdjudicatedLoss);
            if (verifiedLosses.GetValueOrDefault(victim.ClaimId) is { } verified && verified.Currency == currency)
                owed = Math.Min(owed, Minor(verified));
            var key = PayeeKeys.Victim(victim.ClaimId);
            payees.Add(new Payee(key, PriorityClass.VictimLosses, owed, Minor(victim.RecoveredElsewhere), allocated.GetValueOrDefault(key)));
        }
        foreach (var creditor in order.Terms.Creditors)
        {
            var key = PayeeKeys.Creditor(creditor.CreditorId);
            payees.Add(new Payee(key, creditor.Class, Minor(creditor.Amount), 0, allocated.GetValueOrDefault(key)));
        }
        return payees;
    }

    public static DistributionRoundPlanned Plan(Guid roundId, RestitutionOrder order, CaseDistribution? distribution,
        IReadOnlyDictionary<string, long> allocated, IReadOnlyDictionary<Guid, Money?> verifiedLosses, decimal amount, string reference, Actor actor,
        DateTimeOffset now)
    {
        if (distribution?.ClosedAt is not null)
            throw new DomainRuleViolationException("case.closed", $"The case's recovery was closed: {distribution.ClosedReason}");
        var currency = order.Terms.Currency;
        var payees = Payees(order, allocated, verifiedLosses);
        var split = DistributionCalculator.Split(Currencies.ToMinorUnits(amount, currency), payees, order.Terms.Policy);
        if (split.Count == 0)
            throw new DomainRuleViolationException("round.nothing-due", "Everyone the order names has been allocated all they are due.");
        var victims = order.Terms.Victims.ToDictionary(x => PayeeKeys.Victim(x.ClaimId));
        var creditors = order.Terms.Creditors.ToDictionary(x => PayeeKeys.Creditor(x.CreditorId));
        var allocations = split.Select(part =>
        {
            var money = new Money(Currencies.FromMinorUnits(part.AmountMinor, currency), currency);
            return victims.TryGetValue(part.Payee.Key, out var victim)
                ? new RoundAllocation(Guid.CreateVersion7(now), PriorityClass.VictimLosses, victim.ClaimId, null, victim.Name, money)
                : new RoundAllocation(Guid.CreateVersion7(now), part.Payee.Class, null, creditors[part.Payee.Key].CreditorId,
                    creditors[part.Payee.Key].Name, money);
        }).ToList();
        var distributed = Currencies.FromMinorUnits(split.Sum(p => p.AmountMinor), currency);
        return new DistributionRoundPlanned(roundId, order.CaseNumber, order.Id, order.OrderVersion, order.Terms.Policy, new Money(amount, currency),
            new Money(distributed, currency), allocations, reference, actor, now);
    }
}
