namespace AssetRecovery.Contracts.Freeze;

public enum FreezeKind
{
    /// <summary>Emergency stop-payment: short-lived, to be turned into a formal freeze.</summary>
    StopPayment,
    /// <summary>Formal freeze with a legal term.</summary>
    Freeze,
}

public enum BankExecutionOutcome
{
    FrozenInFull,
    FrozenInPart,
    Rejected,
}

/// <summary>A freeze or stop-payment was requested from a bank. RequestedAmount null means the whole balance.</summary>
public sealed record FreezeRequested(
    Guid FreezeId,
    string CaseNumber,
    FreezeKind Kind,
    string BankCode,
    string AccountNumber,
    string AccountHolderName,
    string Currency,
    decimal? RequestedAmount,
    string LegalDocumentReference,
    string Reason,
    DateTimeOffset AcknowledgementDueAt,
    Actor RequestedBy,
    DateTimeOffset RequestedAt) : ICaseEvent;

/// <summary>The bank froze the account: in full, or in part when the balance was lower than asked.</summary>
public sealed record FreezeExecutedByBank(
    Guid FreezeId,
    string CaseNumber,
    BankExecutionOutcome Outcome,
    Money FrozenAmount,
    Money? BalanceAtExecution,
    DateTimeOffset ExecutedAt,
    string? BankReference,
    Actor RecordedBy,
    DateTimeOffset RecordedAt) : ICaseEvent;

/// <summary>The bank refused to execute (account closed, not found, details mismatch...).</summary>
public sealed record FreezeRejectedByBank(
    Guid FreezeId,
    string CaseNumber,
    string ReasonCode,
    string? Detail,
    DateTimeOffset RejectedAt,
    Actor RecordedBy,
    DateTimeOffset RecordedAt) : ICaseEvent;

/// <summary>Escalation: the bank did not report its execution by the deadline.</summary>
public sealed record FreezeAcknowledgementOverdue(
    Guid FreezeId,
    string CaseNumber,
    DateTimeOffset DueAt,
    DateTimeOffset DetectedAt) : ICaseEvent;
