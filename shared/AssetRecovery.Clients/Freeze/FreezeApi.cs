using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;
using Refit;

namespace AssetRecovery.Clients.Freeze;

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
    string? Reason);

public sealed record FreezeAccepted(Guid FreezeId, string Status, DateTimeOffset AcknowledgementDueAt);

public sealed record RecordBankExecutionRequest(
    BankExecutionOutcome? Outcome,
    decimal? FrozenAmount = null,
    decimal? BalanceAtExecution = null,
    string? ReasonCode = null,
    string? Detail = null,
    DateTimeOffset? ExecutedAt = null,
    string? BankReference = null);

/// <summary>One recorded change of a freeze: what happened, when, by whom, and why.</summary>
public sealed record FreezeHistoryEntry(long Version, string Event, DateTimeOffset At, Actor? By, string Summary);

/// <summary>Where the freeze saga is: its state and the pending deadline.</summary>
public sealed record FreezeWorkflowView(string State, DateTimeOffset? AcknowledgementDueAt, bool AcknowledgementTimeoutScheduled);

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
    string LegalDocumentReference,
    string Reason,
    string Status,
    Money? FrozenAmount,
    Money? BalanceAtExecution,
    DateTimeOffset? ExecutedAt,
    string? RejectionReasonCode,
    DateTimeOffset AcknowledgementDueAt,
    bool AcknowledgementOverdue,
    Actor RequestedBy,
    DateTimeOffset RequestedAt,
    FreezeWorkflowView? Workflow,
    IReadOnlyList<FreezeHistoryEntry> History);

/// <summary>The freeze service's HTTP API.</summary>
public interface IFreezeApi
{
    [Post("/api/freezes")]
    Task<IApiResponse<FreezeAccepted>> SubmitAsync([Body] SubmitFreezeRequest request, CancellationToken cancellationToken = default);

    [Post("/api/freezes/{freezeId}/bank-execution")]
    Task<IApiResponse<FreezeView>> RecordBankExecutionAsync(Guid freezeId, [Body] RecordBankExecutionRequest request, CancellationToken cancellationToken = default);

    [Get("/api/freezes/{freezeId}")]
    Task<IApiResponse<FreezeView>> GetAsync(Guid freezeId, CancellationToken cancellationToken = default);
}
