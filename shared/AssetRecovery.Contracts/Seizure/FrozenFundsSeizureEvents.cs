namespace AssetRecovery.Contracts.Seizure;

/// <summary>
/// An investigator asked to seize frozen money (all or part of one freeze) into custody. The amount is reserved against
/// the freeze at once, so no second seizure can take it; the seizure saga then asks the freeze service to hand it over.
/// </summary>
public sealed record FrozenFundsSeizureRequested(
    Guid SeizureId,
    string CaseNumber,
    Guid FreezeId,
    Money Amount,
    string LegalDocumentReference,
    string Reason,
    Actor RequestedBy,
    DateTimeOffset RequestedAt) : ICaseEvent;

/// <summary>
/// The freeze service handed the money over: it is no longer frozen, it is in custody and credited to the case's
/// recovery pool. Direct is true for a hand-over made at the freeze service without a seizure request (then the
/// seizure stream starts with this event).
/// </summary>
public sealed record FrozenFundsSeized(
    Guid SeizureId,
    string CaseNumber,
    Guid FreezeId,
    Money Amount,
    string DocumentReference,
    string Reason,
    Actor HandedOverBy,
    DateTimeOffset HandedOverAt,
    DateTimeOffset RecordedAt,
    bool Direct = false) : ICaseEvent;

/// <summary>The freeze service refused the hand-over (no longer frozen, less frozen than asked...): the reservation is lifted.</summary>
public sealed record FrozenFundsSeizureRefused(
    Guid SeizureId,
    string CaseNumber,
    Guid FreezeId,
    Money Amount,
    string Rule,
    string Detail,
    DateTimeOffset RefusedAt) : ICaseEvent;

/// <summary>Scheduled by the seizure saga: the freeze service has not answered a hand-over request in time.</summary>
public sealed record FrozenFundsHandOverDue(Guid SeizureId);
