using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Seizure;

namespace AssetRecovery.Seizure.Domain;

public enum SeizureStatus
{
    /// <summary>Reserved against the freeze; waiting for the freeze service to hand the money over.</summary>
    AwaitingHandOver,
    /// <summary>In custody and credited to the case's recovery pool.</summary>
    Seized,
    /// <summary>The freeze service refused; the reservation was lifted.</summary>
    Refused,
}

/// <summary>One seizure of frozen money: current state of its stream (inline snapshot).</summary>
public sealed record FrozenFundsSeizure
{
    public Guid Id { get; init; }
    public int Version { get; init; }
    public required string CaseNumber { get; init; }
    public Guid FreezeId { get; init; }
    public required Money Amount { get; init; }
    public required string LegalDocumentReference { get; init; }
    public required string Reason { get; init; }
    public required Actor RequestedBy { get; init; }
    public DateTimeOffset RequestedAt { get; init; }
    public SeizureStatus Status { get; init; }
    /// <summary>Handed over at the freeze service without a seizure request.</summary>
    public bool Direct { get; init; }
    public Actor? HandedOverBy { get; init; }
    public DateTimeOffset? SeizedAt { get; init; }
    public string? RefusalRule { get; init; }
    public string? RefusalDetail { get; init; }
    public DateTimeOffset? RefusedAt { get; init; }

    public static FrozenFundsSeizure Create(FrozenFundsSeizureRequested e) => new()
    {
        Id = e.SeizureId,
        CaseNumber = e.CaseNumber,
        FreezeId = e.FreezeId,
        Amount = e.Amount,
        LegalDocumentReference = e.LegalDocumentReference,
        Reason = e.Reason,
        RequestedBy = e.RequestedBy,
        RequestedAt = e.RequestedAt,
        Status = SeizureStatus.AwaitingHandOver,
    };

    /// <summary>A direct hand-over at the freeze service: the seizure starts seized.</summary>
    public static FrozenFundsSeizure Create(FrozenFundsSeized e) => new FrozenFundsSeizure
    {
        Id = e.SeizureId,
        CaseNumber = e.CaseNumber,
        FreezeId = e.FreezeId,
        Amount = e.Amount,
        LegalDocumentReference = e.DocumentReference,
        Reason = e.Reason,
        RequestedBy = e.HandedOverBy,
        RequestedAt = e.HandedOverAt,
        Direct = true,
    }.Apply(e);

    public FrozenFundsSeizure Apply(FrozenFundsSeized e) => this with
    {
        Status = SeizureStatus.Seized, HandedOverBy = e.HandedOverBy, SeizedAt = e.HandedOverAt,
    };

    public FrozenFundsSeizure Apply(FrozenFundsSeizureRefused e) => this with
    {
        Status = SeizureStatus.Refused, RefusalRule = e.Rule, RefusalDetail = e.Detail, RefusedAt = e.RefusedAt,
    };
}
