using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;
using Refit;

namespace AssetRecovery.Clients.Freeze;

/// <summary>One bank transaction record. VictimId marks a victim's payment into a mule account.</summary>
public sealed record TransactionRecord(
    string? TransactionId,
    DateTimeOffset? Timestamp,
    string? FromAccount,
    string? ToAccount,
    decimal? Amount,
    string? Currency,
    TransactionChannel? Channel,
    string? VictimId = null);

public sealed record ImportTransactionsRequest(IReadOnlyList<TransactionRecord>? Transactions);

public sealed record ImportRowError(int RowNumber, string? TransactionId, IReadOnlyDictionary<string, string[]> Errors);

/// <summary>What an import did: new records, records already there (same details), and rows refused with reasons.</summary>
public sealed record TransactionImportResult(Guid ImportId, string CaseNumber, int Imported, int Duplicates, IReadOnlyList<ImportRowError> Rejected);

public interface ITracingApi
{
    [Post("/api/cases/{caseNumber}/transactions")]
    Task<IApiResponse<TransactionImportResult>> ImportAsync(string caseNumber, [Body] ImportTransactionsRequest request, CancellationToken cancellationToken = default);

    [Post("/api/cases/{caseNumber}/transactions")]
    [Headers("Content-Type: text/csv")]
    Task<IApiResponse<TransactionImportResult>> ImportCsvAsync(string caseNumber, [Body] string csv, CancellationToken cancellationToken = default);

    [Post("/api/cases/{caseNumber}/traces")]
    Task<IApiResponse<TraceView>> RunAsync(string caseNumber, [Body] RunTraceRequest request, CancellationToken cancellationToken = default);

    [Get("/api/traces/{traceId}")]
    Task<IApiResponse<TraceView>> GetAsync(Guid traceId, CancellationToken cancellationToken = default);

    [Get("/api/traces/{traceId}/victims/{victimId}")]
    Task<IApiResponse<VictimTraceView>> GetVictimAsync(Guid traceId, string victimId, CancellationToken cancellationToken = default);

    [Get("/api/traces/{traceId}/export")]
    Task<IApiResponse<string>> ExportCsvAsync(Guid traceId, CancellationToken cancellationToken = default);

    /// <summary>All victims' money, or with <paramref name="victimId"/> one victim's along its paths.</summary>
    [Get("/api/traces/{traceId}/flow.svg")]
    Task<IApiResponse<string>> FlowSvgAsync(Guid traceId, [Query] string? victimId = null, CancellationToken cancellationToken = default);

    [Post("/api/traces/{traceId}/freeze-requests")]
    Task<IApiResponse<IReadOnlyList<FreezeTargetOutcome>>> RequestFreezesAsync(Guid traceId, [Body] FreezeTargetsRequest request,
        CancellationToken cancellationToken = default);
}

/// <summary>
/// Run a trace: the rule, the currency (optional when the case has one), victims (all in the records by default; or by
/// id; or AllClaims: those whose claims are linked to the case), hops, window. MinimumShare (ProRata, Haircut, Poison
/// only; none by default): a victim's share smaller than it is no longer followed (it leaves the trail as BelowMinimumShare).
/// </summary>
public sealed record RunTraceRequest(
    TraceRule? Rule,
    string? Currency = null,
    IReadOnlyList<string>? VictimIds = null,
    int? MaxHops = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    bool? AllClaims = null,
    decimal? MinimumShare = null);

/// <summary>Where money of a victim is, or why it left the trail, and the way it took (payment, then each hop).</summary>
public sealed record TracedAmount(string? Account, string Kind, decimal Amount, string? TransactionId, IReadOnlyList<string> Path, string Explanation);

public sealed record VictimTraceView(string VictimId, decimal Loss, decimal Held, decimal LeftTrail, IReadOnlyList<TracedAmount> Holdings,
    IReadOnlyList<TracedAmount> Exits);

public sealed record VictimShare(string VictimId, decimal Amount);

/// <summary>An account holding traced money: what can be frozen there, and whose money it is.</summary>
public sealed record FreezeTargetView(string Account, decimal Balance, decimal Traced, decimal Tainted, decimal Freezable, IReadOnlyList<VictimShare> ByVictim);

public sealed record TraceView(
    Guid TraceId,
    string CaseNumber,
    TraceRule Rule,
    string Currency,
    string Status,
    string? Digest,
    string? Failure,
    int Transactions,
    Actor RequestedBy,
    DateTimeOffset RequestedAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<VictimSummary> Victims,
    IReadOnlyList<FreezeTargetView> FreezeTargets,
    /// <summary>The victims the trace was asked for (null: all in the records).</summary>
    IReadOnlyList<string>? VictimIds = null,
    /// <summary>0 to 1: how far the run has got (updated about once a second while it runs).</summary>
    decimal Progress = 0m,
    /// <summary>Shares smaller than this were not followed (null: every minor unit was).</summary>
    decimal? MinimumShare = null,
    /// <summary>The hop limit the trace ran with (null only in views built before it was shown).</summary>
    int? MaxHops = null,
    /// <summary>The window the trace ran on (null: open at that end).</summary>
    DateTimeOffset? From = null,
    DateTimeOffset? To = null);

public sealed record VictimSummary(string VictimId, decimal Loss, decimal Held, decimal LeftTrail);

/// <summary>Turn trace targets into freeze requests: one per account, for the amount the trace found there.</summary>
public sealed record FreezeTargetsRequest(
    string? BankCode,
    FreezeKind? Kind,
    string? LegalDocumentReference,
    string? Reason,
    IReadOnlyList<FreezeTargetSelection>? Targets);

public sealed record FreezeTargetSelection(string? Account, string? AccountHolderName);

public sealed record FreezeTargetOutcome(string Account, Guid? FreezeId, string? Status, string? Problem);
