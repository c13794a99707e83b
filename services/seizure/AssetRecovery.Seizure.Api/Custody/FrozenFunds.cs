using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;

namespace AssetRecovery.Seizure.Custody;

/// <summary>A seizure's claim on frozen money, held until the freeze service hands the money over or refuses.</summary>
public sealed record FrozenFundsReservation(Guid SeizureId, decimal Amount);

/// <summary>
/// Money a bank froze for a case, as seizure sees it: what is still frozen, what pending seizures have reserved, what was
/// seized, and what is still available to be taken into custody. Kept from the freeze service's relayed events, which
/// are applied as deltas so that their order does not matter. Stored with optimistic concurrency: two seizures of the
/// same freeze cannot both reserve from the same version; the loser retries against the new figures.
/// </summary>
public sealed class FrozenFunds
{
    public Guid Id { get; set; }
    public string CaseNumber { get; set; } = "";
    public Money FrozenAtExecution { get; set; } = new(0m, "");
    /// <summary>Still frozen at the bank (the freeze service's figure), including what pending seizures reserved.</summary>
    public Money Frozen { get; set; } = new(0m, "");
    public Money Reserved { get; set; } = new(0m, "");
    public Money Seized { get; set; } = new(0m, "");
    /// <summary>Released, lapsed or converted: free again (or held under another freeze), not seizable from this one.</summary>
    public Money Released { get; set; } = new(0m, "");
    public Money AvailableToSeize { get; set; } = new(0m, "");
    public List<FrozenFundsReservation> Reservations { get; set; } = [];
    /// <summary>Why the hold ended (Released, Lapsed, HandedOverToSeizure, Converted); null while it holds money.</summary>
    public string? EndReason { get; set; }
    public DateTimeOffset FrozenAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public string Currency => FrozenAtExecution.Currency;

    public static FrozenFunds From(FreezeExecutedByBank e)
    {
        var funds = new FrozenFunds
        {
            Id = e.FreezeId, CaseNumber = e.CaseNumber, FrozenAtExecution = e.FrozenAmount, Frozen = e.FrozenAmount,
            FrozenAt = e.ExecutedAt, UpdatedAt = e.RecordedAt,
        };
        funds.Recompute();
        return funds;
    }

    public void Reserve(Guid seizureId, decimal amount, DateTimeOffset now)
    {
        Reservations.Add(new FrozenFundsReservation(seizureId, amount));
        Touch(now);
    }

    /// <summary>The reservation of a seizure that will not happen is lifted.</summary>
    public void Lift(Guid seizureId, DateTimeOffset now)
    {
        Reservations.RemoveAll(r => r.SeizureId == seizureId);
        Touch(now);
    }

    /// <summary>Money handed over to custody (for a seizure, or directly at the freeze service): no longer frozen, now seized.</summary>
    public void HandedOver(Guid? seizureId, decimal amount, bool whole, DateTimeOffset now)
    {
        if (seizureId is { } id) Reservations.RemoveAll(r => r.SeizureId == id);
        Frozen = Frozen with { Amount = Math.Max(0m, Frozen.Amount - amount) };
        Seized = Seized with { Amount = Seized.Amount + amount };
        if (whole) EndReason ??= "HandedOverToSeizure";
        Touch(now);
    }

    /// <summary>Money released or lapsed: free again.</summary>
    public void Freed(decimal amount, string? endReason, DateTimeOffset now)
    {
        Frozen = Frozen with { Amount = Math.Max(0m, Frozen.Amount - amount) };
        Released = Released with { Amount = Released.Amount + amount };
        if (endReason is not null) EndReason ??= endReason;
        Touch(now);
    }

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Recompute();
    }

    private void Recompute()
    {
        var currency = Currency;
        var reserved = Reservations.Sum(r => r.Amount);
        Frozen = new Money(Frozen.Amount, currency);
        Reserved = new Money(reserved, currency);
        Seized = new Money(Seized.Amount, currency);
        Released = new Money(Released.Amount, currency);
        AvailableToSeize = new Money(EndReason is null ? Math.Max(0m, Frozen.Amount - reserved) : 0m, currency);
    }
}
