namespace AssetRecovery.Contracts.Freeze;

// Between the seizure service's seizure saga and the freeze service.

/// <summary>
/// Hand Amount of the freeze over to seizure's custody for seizure SeizureId. Idempotent by SeizureId: a freeze hands
/// over at most once per seizure. The outcome is FreezeHandedOverToSeizure (with the SeizureId) on the freeze stream,
/// or FrozenFundsHandOverRefused.
/// </summary>
public sealed record HandOverFrozenFunds(
    Guid SeizureId,
    Guid FreezeId,
    string CaseNumber,
    Money Amount,
    string Reason,
    string DocumentReference,
    Actor RequestedBy);

/// <summary>The freeze service would not hand the money over (not frozen any more, less frozen than asked...).</summary>
public sealed record FrozenFundsHandOverRefused(
    Guid SeizureId,
    Guid FreezeId,
    string CaseNumber,
    Money Amount,
    string Rule,
    string Detail,
    DateTimeOffset RefusedAt);
