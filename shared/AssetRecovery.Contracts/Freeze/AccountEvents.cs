namespace AssetRecovery.Contracts.Freeze;

// Events of one bank account's stream: the holds on it across cases, in order. Appending to this stream with
// optimistic concurrency is what serialises concurrent requests on the same account.

public sealed record AccountHoldRegistered(
    string BankCode,
    string AccountNumber,
    Guid FreezeId,
    string CaseNumber,
    FreezeKind Kind,
    string LegalDocumentReference,
    bool Queued,
    DateTimeOffset RegisteredAt) : ICaseEvent;

public sealed record AccountHoldActivated(
    string BankCode,
    string AccountNumber,
    Guid FreezeId,
    string CaseNumber,
    DateTimeOffset ActivatedAt) : ICaseEvent;

public sealed record AccountHoldEnded(
    string BankCode,
    string AccountNumber,
    Guid FreezeId,
    string CaseNumber,
    string Reason,
    DateTimeOffset EndedAt) : ICaseEvent;
