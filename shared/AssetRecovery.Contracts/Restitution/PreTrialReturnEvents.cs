namespace AssetRecovery.Contracts.Restitution;

// Pre-trial return of frozen funds (domain-rules.md, "Return to victims"): application → fund-flow table from the trace →
// decision → 30-day public notice with objections (pro rata only) → approval → the freeze pays out → the bank's receipt.

/// <summary>How a pre-trial return shares the frozen money (recorded with the decision).</summary>
public enum PreTrialReturnMode
{
    /// <summary>Only one victim's money is in the frozen account: it goes back to that victim.</summary>
    Direct,
    /// <summary>Several victims, but the trace attributes each one's money by transaction time (a FIFO or LIFO trace): each gets their own.</summary>
    SeparableByTime,
    /// <summary>Mixed money: shared by each victim's loss over the total, after a 30-day public notice.</summary>
    ProRata,
}

/// <summary>A victim in an application: their claim, the loss they state, and the account the money goes back to.</summary>
public sealed record PreTrialApplicant(
    Guid ClaimId,
    string VictimName,
    string? TraceVictimId,
    Money AmountLost,
    Money VerifiedLoss,
    string ReturnBankName,
    string ReturnAccountNumber,
    string ReturnAccountHolderName);

/// <summary>An investigator filed a victims' application for the return of money frozen under FreezeId.</summary>
public sealed record PreTrialReturnApplied(
    Guid ReturnId,
    string CaseNumber,
    Guid FreezeId,
    string BankCode,
    string AccountNumber,
    string Currency,
    IReadOnlyList<PreTrialApplicant> Applicants,
    string Reference,
    Actor AppliedBy,
    DateTimeOffset AppliedAt) : ICaseEvent;

/// <summary>One victim's money in the frozen account according to the trace; ClaimId when the victim applied.</summary>
public sealed record FundFlowRow(string TraceVictimId, Guid? ClaimId, Money Loss, Money Held);

/// <summary>
/// The fund-flow table of the frozen account: the latest trace of the case (its rule decides whether the deposits are
/// separable by time) and what the freeze holds now. Rows cover every traced victim with money in the account, applicant or not.
/// </summary>
public sealed record PreTrialFundFlowTableBuilt(
    Guid ReturnId,
    string CaseNumber,
    Guid TraceId,
    string TraceRule,
    DateTimeOffset TraceCompletedAt,
    Money Frozen,
    IReadOnlyList<FundFlowRow> Rows,
    Actor BuiltBy,
    DateTimeOffset BuiltAt) : ICaseEvent;

/// <summary>One applicant's part of the return and where it goes.</summary>
public sealed record PreTrialAllocation(Guid ClaimId, string VictimName, Money Amount, string ReturnBankName, string ReturnAccountNumber);

/// <summary>
/// The decision: the mode, the victims' money in the account (Available), each applicant's part, and what stays frozen.
/// NoticeEndsAt is set for a pro rata decision only (30 days of public notice; a new decision starts a new notice).
/// </summary>
public sealed record PreTrialReturnDecided(
    Guid ReturnId,
    string CaseNumber,
    PreTrialReturnMode Mode,
    Money Available,
    IReadOnlyList<PreTrialAllocation> Allocations,
    Money Total,
    Money StaysFrozen,
    string DecisionReference,
    string Reason,
    DateTimeOffset? NoticeEndsAt,
    Actor DecidedBy,
    DateTimeOffset DecidedAt) : ICaseEvent;

public sealed record PreTrialReturnObjectionFiled(
    Guid ReturnId,
    string CaseNumber,
    Guid ObjectionId,
    Guid? ClaimId,
    string Grounds,
    Actor FiledBy,
    DateTimeOffset FiledAt) : ICaseEvent;

public enum ObjectionOutcome
{
    /// <summary>The decision stands.</summary>
    Dismissed,
    /// <summary>The decision must be made again (which starts a new notice) before it can be approved.</summary>
    Upheld,
}

public sealed record PreTrialReturnObjectionResolved(
    Guid ReturnId,
    string CaseNumber,
    Guid ObjectionId,
    ObjectionOutcome Outcome,
    string Reason,
    Actor ResolvedBy,
    DateTimeOffset ResolvedAt) : ICaseEvent;

/// <summary>The public notice ending at NoticeEndsAt is over (recorded when the durable deadline fires).</summary>
public sealed record PreTrialReturnNoticeClosed(Guid ReturnId, string CaseNumber, DateTimeOffset NoticeEndsAt, int Objections, DateTimeOffset ClosedAt)
    : ICaseEvent;

/// <summary>Approved at ApproverLevel (prefecture-city or above): the freeze is told to pay Total out.</summary>
public sealed record PreTrialReturnApproved(
    Guid ReturnId,
    string CaseNumber,
    Guid FreezeId,
    Money Total,
    string ApproverLevel,
    string ApprovalReference,
    string DecisionReference,
    Actor ApprovedBy,
    DateTimeOffset ApprovedAt) : ICaseEvent;

/// <summary>
/// The freeze released Total to the victims: the bank is instructed to pay each allocation (no fees) and owes a receipt
/// by ReceiptDueAt (3 working days). RemainingFrozen is what the freeze still holds.
/// </summary>
public sealed record PreTrialReturnInstructed(
    Guid ReturnId,
    string CaseNumber,
    Guid FreezeId,
    Money Total,
    Money RemainingFrozen,
    IReadOnlyList<PreTrialAllocation> Payments,
    DateTimeOffset InstructedAt,
    DateTimeOffset ReceiptDueAt) : ICaseEvent;

/// <summary>The freeze service would not pay the money out (no longer frozen, less frozen than decided...).</summary>
public sealed record PreTrialReturnExecutionRefused(Guid ReturnId, string CaseNumber, string Rule, string Detail, DateTimeOffset RefusedAt) : ICaseEvent;

/// <summary>The bank's receipt did not come by ReceiptDueAt: escalated (a late receipt is still recorded).</summary>
public sealed record PreTrialReturnReceiptOverdue(Guid ReturnId, string CaseNumber, DateTimeOffset DueAt, DateTimeOffset EscalatedAt) : ICaseEvent;

public sealed record PreTrialReturnReceiptRecorded(
    Guid ReturnId,
    string CaseNumber,
    string BankReference,
    DateTimeOffset ExecutedAt,
    bool Late,
    Actor RecordedBy,
    DateTimeOffset RecordedAt) : ICaseEvent;

// Between restitution's pre-trial return saga and the freeze service (bus messages, not stored events).

/// <summary>
/// Pay Amount of the freeze out to victims for pre-trial return ReturnId. Idempotent by ReturnId (the freeze's history
/// records the return id in the release's reason). Outcome: FrozenFundsReturned, or FrozenFundsReturnRefused.
/// </summary>
public sealed record ReturnFrozenFunds(
    Guid ReturnId,
    Guid FreezeId,
    string CaseNumber,
    Money Amount,
    string DecisionReference,
    string ApprovalReference,
    Actor RequestedBy);

public sealed record FrozenFundsReturned(Guid ReturnId, Guid FreezeId, string CaseNumber, Money Amount, Money Remaining, DateTimeOffset ReleasedAt);

public sealed record FrozenFundsReturnRefused(Guid ReturnId, Guid FreezeId, string CaseNumber, Money Amount, string Rule, string Detail,
    DateTimeOffset RefusedAt);

// Scheduled by the pre-trial return saga through the durable scheduler, and what it then asks restitution to record.

/// <summary>Fires when the public notice ends.</summary>
public sealed record PreTrialNoticeEnded(Guid ReturnId);

/// <summary>Fires when the bank's receipt is due.</summary>
public sealed record PreTrialReceiptDeadline(Guid ReturnId);

public sealed record ClosePreTrialReturnNotice(Guid ReturnId, DateTimeOffset NoticeEndsAt);

public sealed record EscalatePreTrialReturnReceipt(Guid ReturnId, DateTimeOffset DueAt);
