namespace AssetRecovery.Contracts.Freeze;

public enum FreezeKind
{
    /// <summary>Emergency stop-payment: short-lived, to be turned into a formal freeze.</summary>
    StopPayment,
    /// <summary>Formal freeze with a legal term.</summary>
    Freeze,
}

/// <summary>What is frozen; decides the legal term of a formal freeze.</summary>
public enum FreezeAssetType
{
    BankDeposit,
    Remittance,
    SettlementFunds,
    FuturesMargin,
    Bonds,
    Stocks,
    FundShares,
}

/// <summary>How long a hold lasts once the bank executed it: months plus hours (a stop-payment is 0 months, 48 hours).</summary>
public sealed record FreezeTerm(int Months, int Hours);

/// <summary>The senior approval a major or complex case needs for a one-year freeze.</summary>
public sealed record SeniorApproval(string ApprovedBy, string ApprovalReference);

public enum BankExecutionOutcome
{
    FrozenInFull,
    FrozenInPart,
    Rejected,
}

/// <summary>
/// A freeze or stop-payment was requested from a bank. RequestedAmount null means the whole balance. A queued request
/// waits behind another case's hold on the account and goes to the bank only when activated (no deadline until then).
/// ConvertsStopPaymentId names the stop-payment this formal freeze replaces.
/// </summary>
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
    DateTimeOffset? AcknowledgementDueAt,
    Actor RequestedBy,
    DateTimeOffset RequestedAt,
    FreezeAssetType AssetType = FreezeAssetType.BankDeposit,
    FreezeTerm? Term = null,
    bool MajorCase = false,
    SeniorApproval? SeniorApproval = null,
    bool Queued = false,
    Guid? ConvertsStopPaymentId = null) : ICaseEvent;

/// <summary>A queued freeze takes effect: the hold before it on the account ended, so it now goes to the bank.</summary>
public sealed record FreezeActivated(
    Guid FreezeId,
    string CaseNumber,
    Guid PreviousHoldId,
    DateTimeOffset AcknowledgementDueAt,
    DateTimeOffset ActivatedAt) : ICaseEvent;

/// <summary>
/// The bank froze the account: in full, or in part when the balance was lower than asked. It names the account
/// (as requested), so a reader of executions alone, such as victim-claim, need not take every request; events recorded
/// before the account was carried have none.
/// </summary>
public sealed record FreezeExecutedByBank(
    Guid FreezeId,
    string CaseNumber,
    BankExecutionOutcome Outcome,
    Money FrozenAmount,
    Money? BalanceAtExecution,
    DateTimeOffset ExecutedAt,
    string? BankReference,
    Actor RecordedBy,
    DateTimeOffset RecordedAt,
    DateTimeOffset? ExpiresAt = null,
    string? AccountNumber = null) : ICaseEvent;

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

/// <summary>The term was extended before it expired; each renewal is no longer than the original term.</summary>
public sealed record FreezeRenewed(
    Guid FreezeId,
    string CaseNumber,
    DateTimeOffset PreviousExpiresAt,
    DateTimeOffset NewExpiresAt,
    string LegalDocumentReference,
    string Reason,
    Actor RenewedBy,
    DateTimeOffset RenewedAt) : ICaseEvent;

/// <summary>The hold expires soon: renew it or let it lapse.</summary>
public sealed record FreezeExpiryReminderIssued(
    Guid FreezeId,
    string CaseNumber,
    DateTimeOffset ExpiresAt,
    DateTimeOffset IssuedAt) : ICaseEvent;

/// <summary>Not renewed in time: the hold ended by itself at its expiry and the money is free again.</summary>
public sealed record FreezeLapsed(
    Guid FreezeId,
    string CaseNumber,
    DateTimeOffset ExpiredAt,
    Money? FrozenAmount,
    DateTimeOffset LapsedAt) : ICaseEvent;

/// <summary>Frozen money released, in whole or in part, with the reason and the document that ordered it.</summary>
public sealed record FreezeReleased(
    Guid FreezeId,
    string CaseNumber,
    Money Released,
    Money Remaining,
    bool Whole,
    string Reason,
    string DocumentReference,
    Actor ReleasedBy,
    DateTimeOffset ReleasedAt) : ICaseEvent;

/// <summary>A stop-payment was replaced by a formal freeze of the same case within its window.</summary>
public sealed record StopPaymentConverted(
    Guid FreezeId,
    string CaseNumber,
    Guid FormalFreezeId,
    Actor ConvertedBy,
    DateTimeOffset ConvertedAt) : ICaseEvent;

/// <summary>
/// Frozen money handed over to the seizure service's custody, in whole or in part (the seizure service takes it in).
/// The same money is then no longer frozen here. SeizureId names the seizure that asked for it (null when handed over
/// directly at the freeze service).
/// </summary>
public sealed record FreezeHandedOverToSeizure(
    Guid FreezeId,
    string CaseNumber,
    Money HandedOver,
    Money Remaining,
    bool Whole,
    string Reason,
    string DocumentReference,
    Actor HandedOverBy,
    DateTimeOffset HandedOverAt,
    Guid? SeizureId = null) : ICaseEvent;
