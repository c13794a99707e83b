using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;
using Refit;

namespace AssetRecovery.Clients.Freeze;

/// <summary>
/// A stop-payment or formal freeze request. Amount null with WholeBalance asks for the whole balance. A major or complex
/// case (formal freeze, one-year term) needs the senior approval recorded: ApprovedBy and ApprovalReference.
/// </summary>
public sealed record SubmitFreezeRequest(
    string? CaseNumber,
    FreezeKind? Kind,
    string? BankCode,
    string? AccountNumber,
    string? AccountHolderName,
    string? Currency,
    decimal? Amount,
    bool WholeBalance,
    string? LegalDocumentReference,
    string? Reason,
    FreezeAssetType? AssetType = null,
    bool MajorCase = false,
    string? ApprovedBy = null,
    string? ApprovalReference = null);

public sealed record FreezeAccepted(Guid FreezeId, string Status, DateTimeOffset? AcknowledgementDueAt);

public sealed record RecordBankExecutionRequest(
    BankExecutionOutcome? Outcome,
    decimal? FrozenAmount = null,
    decimal? BalanceAtExecution = null,
    string? ReasonCode = null,
    string? Detail = null,
    DateTimeOffset? ExecutedAt = null,
    string? BankReference = null);

/// <summary>Extend the term before expiry; TermMonths null renews for the original term (never longer).</summary>
public sealed record RenewFreezeRequest(string? LegalDocumentReference, string? Reason, int? TermMonths = null);

/// <summary>Release (or hand over to seizure) all (Amount null) or part of the frozen money.</summary>
public sealed record ReleaseFreezeRequest(string? Reason, string? DocumentReference, decimal? Amount = null);

/// <summary>One recorded change of a freeze: what happened, when, by whom, and why.</summary>
public sealed record FreezeHistoryEntry(long Version, string Event, DateTimeOffset At, Actor? By, string Summary);

/// <summary>Where the freeze saga is: its state and the pending deadlines.</summary>
public sealed record FreezeWorkflowView(
    string State, DateTimeOffset? AcknowledgementDueAt, bool AcknowledgementTimeoutScheduled, DateTimeOffset? ExpiresAt,
    bool ExpiryReminderScheduled, bool TermEndScheduled);

public sealed record FreezeView(
    Guid FreezeId,
    int Version,
    string CaseNumber,
    FreezeKind Kind,
    string BankCode,
    string AccountNumber,
    string AccountHolderName,
    string Currency,
    decimal? RequestedAmount,
    FreezeAssetType AssetType,
    FreezeTerm Term,
    bool MajorCase,
    SeniorApproval? SeniorApproval,
    string LegalDocumentReference,
    string Reason,
    string Status,
    Money? FrozenAmount,
    Money? BalanceAtExecution,
    Money? Released,
    Money? HandedOverToSeizure,
    DateTimeOffset? ExecutedAt,
    DateTimeOffset? ExpiresAt,
    int Renewals,
    DateTimeOffset? EndedAt,
    string? RejectionReasonCode,
    DateTimeOffset? AcknowledgementDueAt,
    bool AcknowledgementOverdue,
    Guid? ConvertsStopPaymentId,
    Guid? ConvertedToFreezeId,
    Actor RequestedBy,
    DateTimeOffset RequestedAt,
    FreezeWorkflowView? Workflow,
    IReadOnlyList<FreezeHistoryEntry> History);

/// <summary>A freeze in a list.</summary>
public sealed record FreezeSummary(
    Guid FreezeId,
    string CaseNumber,
    FreezeKind Kind,
    string BankCode,
    string AccountNumber,
    string Status,
    string Currency,
    decimal? RequestedAmount,
    Money? FrozenAmount,
    DateTimeOffset? AcknowledgementDueAt,
    bool AcknowledgementOverdue,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset RequestedAt);

/// <summary>One hold on an account, in queue order.</summary>
public sealed record AccountHoldView(int Position, Guid FreezeId, string CaseNumber, FreezeKind Kind, string HoldState, string? EndReason,
    DateTimeOffset RegisteredAt, FreezeSummary? Freeze);

public sealed record AccountHoldsView(string BankCode, string AccountNumber, IReadOnlyList<AccountHoldView> Holds);

public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, long Total);

/// <summary>The freeze service's HTTP API.</summary>
public interface IFreezeApi
{
    [Post("/api/freezes")]
    Task<IApiResponse<FreezeAccepted>> SubmitAsync([Body] SubmitFreezeRequest request,
        [Header("Idempotency-Key")] string? idempotencyKey = null, CancellationToken cancellationToken = default);

    [Post("/api/freezes/{freezeId}/bank-execution")]
    Task<IApiResponse<FreezeView>> RecordBankExecutionAsync(Guid freezeId, [Body] RecordBankExecutionRequest request, CancellationToken cancellationToken = default);

    [Post("/api/freezes/{freezeId}/renewal")]
    Task<IApiResponse<FreezeView>> RenewAsync(Guid freezeId, [Body] RenewFreezeRequest request, CancellationToken cancellationToken = default);

    [Post("/api/freezes/{freezeId}/release")]
    Task<IApiResponse<FreezeView>> ReleaseAsync(Guid freezeId, [Body] ReleaseFreezeRequest request, CancellationToken cancellationToken = default);

    [Post("/api/freezes/{freezeId}/handover-to-seizure")]
    Task<IApiResponse<FreezeView>> HandOverToSeizureAsync(Guid freezeId, [Body] ReleaseFreezeRequest request, CancellationToken cancellationToken = default);

    [Get("/api/freezes/{freezeId}")]
    Task<IApiResponse<FreezeView>> GetAsync(Guid freezeId, CancellationToken cancellationToken = default);

    [Get("/api/freezes")]
    Task<IApiResponse<Page<FreezeSummary>>> ListByCaseAsync([AliasAs("caseNumber")] string caseNumber, [AliasAs("page")] int? page = null,
        [AliasAs("pageSize")] int? pageSize = null, CancellationToken cancellationToken = default);

    [Get("/api/freezes/expiring")]
    Task<IApiResponse<Page<FreezeSummary>>> ListExpiringAsync([AliasAs("withinDays")] int withinDays, [AliasAs("page")] int? page = null,
        [AliasAs("pageSize")] int? pageSize = null, CancellationToken cancellationToken = default);

    [Get("/api/freezes/overdue-acknowledgements")]
    Task<IApiResponse<Page<FreezeSummary>>> ListOverdueAcknowledgementsAsync([AliasAs("page")] int? page = null,
        [AliasAs("pageSize")] int? pageSize = null, CancellationToken cancellationToken = default);

    [Get("/api/accounts/{bankCode}/{accountNumber}/holds")]
    Task<IApiResponse<AccountHoldsView>> GetAccountHoldsAsync(string bankCode, string accountNumber, CancellationToken cancellationToken = default);
}

/// <summary>Up to 10,000 freeze requests at once (JSON); the same rows may be sent as a CSV upload instead.</summary>
public sealed record SubmitFreezeBatchRequest(IReadOnlyList<SubmitFreezeRequest>? Requests);

/// <summary>A bulk request's progress: rows refused by validation at once, then each row as it is processed.</summary>
public sealed record FreezeBatchView(
    Guid BatchId,
    string Status,
    int Total,
    int Invalid,
    int Pending,
    int Accepted,
    int Refused,
    Actor SubmittedBy,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? CompletedAt);

/// <summary>One row of a bulk request: the freeze it produced, or why not (field errors, or the rule it broke).</summary>
public sealed record FreezeBatchRowView(int RowNumber, string Status, Guid? FreezeId, IReadOnlyDictionary<string, string[]>? Errors, string? Rule);

public interface IFreezeBatchApi
{
    [Post("/api/freeze-batches")]
    Task<IApiResponse<FreezeBatchView>> SubmitAsync([Body] SubmitFreezeBatchRequest request,
        [Header("Idempotency-Key")] string? idempotencyKey = null, CancellationToken cancellationToken = default);

    [Post("/api/freeze-batches")]
    [Headers("Content-Type: text/csv")]
    Task<IApiResponse<FreezeBatchView>> SubmitCsvAsync([Body] string csv, [Header("Idempotency-Key")] string? idempotencyKey = null,
        CancellationToken cancellationToken = default);

    [Get("/api/freeze-batches/{batchId}")]
    Task<IApiResponse<FreezeBatchView>> GetAsync(Guid batchId, CancellationToken cancellationToken = default);

    [Get("/api/freeze-batches/{batchId}/rows")]
    Task<IApiResponse<Page<FreezeBatchRowView>>> GetRowsAsync(Guid batchId, [AliasAs("status")] string? status = null,
        [AliasAs("page")] int? page = null, [AliasAs("pageSize")] int? pageSize = null, CancellationToken cancellationToken = default);
}
