using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Restitution;
using Refit;

namespace AssetRecovery.Clients.Restitution;

/// <summary>A victim in an application; the return account defaults to the claim's (another account must be the victim's own).</summary>
public sealed record PreTrialApplicantInput(Guid? ClaimId, decimal? AmountLost, string? ReturnBankName = null, string? ReturnAccountNumber = null,
    string? ReturnAccountHolderName = null);

public sealed record ApplyPreTrialReturnRequest(Guid? FreezeId, IReadOnlyList<PreTrialApplicantInput>? Applicants, string? Reference);

public sealed record BuildFundFlowTableRequest(string? Note = null);

public sealed record DecidePreTrialReturnRequest(string? DecisionReference, string? Reason);

public sealed record FileObjectionRequest(Guid? ClaimId, string? Grounds);

public sealed record ResolveObjectionRequest(ObjectionOutcome? Outcome, string? Reason);

/// <summary>ApproverLevel: "prefecture-city", "provincial" or "ministry" (prefecture-city level or above).</summary>
public sealed record ApprovePreTrialReturnRequest(string? ApproverLevel, string? ApprovalReference);

public sealed record RecordReturnReceiptRequest(string? BankReference, DateTimeOffset? ExecutedAt = null);

public sealed record FundFlowTableView(Guid TraceId, string TraceRule, DateTimeOffset TraceCompletedAt, Money Frozen, IReadOnlyList<FundFlowRow> Rows,
    Actor BuiltBy, DateTimeOffset BuiltAt);

public sealed record ObjectionView(Guid ObjectionId, Guid? ClaimId, string Grounds, Actor FiledBy, DateTimeOffset FiledAt, string? Outcome,
    string? Resolution, Actor? ResolvedBy, DateTimeOffset? ResolvedAt);

public sealed record PreTrialHistoryEntry(long Version, string Event, DateTimeOffset At, Actor? By, string Summary);

public sealed record PreTrialReturnView(
    Guid ReturnId,
    string CaseNumber,
    Guid FreezeId,
    string AccountNumber,
    string Currency,
    string Status,
    string Reference,
    IReadOnlyList<PreTrialApplicant> Applicants,
    FundFlowTableView? FundFlowTable,
    string? Mode,
    Money? Available,
    IReadOnlyList<PreTrialAllocation> Allocations,
    Money? Total,
    Money? StaysFrozen,
    string? DecisionReference,
    DateTimeOffset? NoticeEndsAt,
    bool NoticeClosed,
    IReadOnlyList<ObjectionView> Objections,
    string? ApproverLevel,
    string? ApprovalReference,
    Actor? ApprovedBy,
    Money? RemainingFrozen,
    DateTimeOffset? InstructedAt,
    DateTimeOffset? ReceiptDueAt,
    bool ReceiptOverdue,
    DateTimeOffset? EscalatedAt,
    string? BankReference,
    DateTimeOffset? ReceiptRecordedAt,
    string? RefusalRule,
    string? RefusalDetail,
    PreTrialWorkflowView? Workflow,
    IReadOnlyList<PreTrialHistoryEntry> History);

/// <summary>What the return's saga holds: its state and which deadlines are pending.</summary>
public sealed record PreTrialWorkflowView(string State, bool NoticeEndScheduled, bool ReceiptDeadlineScheduled, DateTimeOffset UpdatedAt);

/// <summary>The restitution service's pre-trial returns of frozen funds.</summary>
public interface IPreTrialReturnApi
{
    /// <summary>Investigator: file the victims' application for money frozen under a freeze of the case.</summary>
    [Post("/api/cases/{caseNumber}/pre-trial-returns")]
    Task<IApiResponse<PreTrialReturnView>> ApplyAsync(string caseNumber, [Body] ApplyPreTrialReturnRequest request,
        CancellationToken cancellationToken = default);

    [Get("/api/cases/{caseNumber}/pre-trial-returns")]
    Task<IApiResponse<IReadOnlyList<PreTrialReturnView>>> ListAsync(string caseNumber, CancellationToken cancellationToken = default);

    [Get("/api/pre-trial-returns/{returnId}")]
    Task<IApiResponse<PreTrialReturnView>> GetAsync(Guid returnId, CancellationToken cancellationToken = default);

    [Post("/api/pre-trial-returns/{returnId}/fund-flow-table")]
    Task<IApiResponse<PreTrialReturnView>> BuildFundFlowTableAsync(Guid returnId, [Body] BuildFundFlowTableRequest request,
        CancellationToken cancellationToken = default);

    [Post("/api/pre-trial-returns/{returnId}/decision")]
    Task<IApiResponse<PreTrialReturnView>> DecideAsync(Guid returnId, [Body] DecidePreTrialReturnRequest request, CancellationToken cancellationToken = default);

    /// <summary>Victim (about their own claim) or investigator, while the public notice runs.</summary>
    [Post("/api/pre-trial-returns/{returnId}/objections")]
    Task<IApiResponse<ObjectionView>> ObjectAsync(Guid returnId, [Body] FileObjectionRequest request, CancellationToken cancellationToken = default);

    [Post("/api/pre-trial-returns/{returnId}/objections/{objectionId}/resolution")]
    Task<IApiResponse<PreTrialReturnView>> ResolveObjectionAsync(Guid returnId, Guid objectionId, [Body] ResolveObjectionRequest request,
        CancellationToken cancellationToken = default);

    [Post("/api/pre-trial-returns/{returnId}/approval")]
    Task<IApiResponse<PreTrialReturnView>> ApproveAsync(Guid returnId, [Body] ApprovePreTrialReturnRequest request,
        CancellationToken cancellationToken = default);

    /// <summary>Bank liaison: the bank paid the victims (the same reference again changes nothing).</summary>
    [Post("/api/pre-trial-returns/{returnId}/receipt")]
    Task<IApiResponse<PreTrialReturnView>> RecordReceiptAsync(Guid returnId, [Body] RecordReturnReceiptRequest request,
        CancellationToken cancellationToken = default);
}
