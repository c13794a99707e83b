using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Seizure;
using AssetRecovery.Seizure.Custody;

namespace AssetRecovery.Seizure.Domain;

/// <summary>A request to seize frozen money; Amount null takes all that is still available.</summary>
public sealed record SeizureInput(decimal? Amount, string? LegalDocumentReference, string? Reason);

/// <summary>The rules of seizing frozen money: pure, on the seizure service's view of the freeze.</summary>
public static class SeizureDecisions
{
    /// <summary>
    /// Seize all or part of what is still available (frozen, less what pending seizures reserved). Refuses more than that
    /// up front, so the same money is never seized twice; the freeze service still has the last word when it hands over.
    /// </summary>
    public static FrozenFundsSeizureRequested RequestSeizure(FrozenFunds funds, Guid seizureId, SeizureInput input, Actor actor,
        DateTimeOffset now)
    {
        var currency = funds.Currency;
        var v = new Validator()
            .Required("legalDocumentReference", input.LegalDocumentReference, 128)
            .Required("reason", input.Reason, 2000);
        if (input.Amount is not null) v.PositiveAmount("amount", input.Amount, currency);
        v.ThrowIfInvalid();

        if (funds.EndReason is not null)
            throw new DomainRuleViolationException("seizure.not-frozen",
                $"Freeze {funds.Id} holds no money any more ({funds.EndReason}); nothing to seize.");
        var available = funds.AvailableToSeize.Amount;
        var amount = input.Amount ?? available;
        if (available == 0m || amount > available)
            throw new DomainRuleViolationException("seizure.exceeds-available",
                $"Only {available} {currency} of freeze {funds.Id} can still be seized ({funds.Frozen.Amount} frozen, " +
                $"{funds.Reserved.Amount} reserved by seizures under way, {funds.Seized.Amount} seized); {amount} {currency} asked.");
        return new FrozenFundsSeizureRequested(seizureId, funds.CaseNumber, funds.Id, new Money(amount, currency),
            input.LegalDocumentReference!.Trim(), input.Reason!.Trim(), actor, now);
    }
}
