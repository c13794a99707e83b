using AssetRecovery.Clients.Freeze;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Restitution;
using Refit;

namespace AssetRecovery.Clients.Restitution;

/// <summary>One victim in the case ledger, in their claim's currency.</summary>
public sealed record LedgerVictimView(Guid ClaimId, string? Name, string Currency, decimal Reported, decimal? Verified, decimal Traced,
    decimal Ordered, decimal Allocated, decimal Paid, decimal Outstanding);

/// <summary>A case's money from interception to return, per currency, and per victim.</summary>
public sealed record CaseLedgerView(
    string CaseNumber,
    int FreezesRequested,
    int FreezesRejected,
    int AcknowledgementsOverdue,
    IReadOnlyList<Money> Frozen,
    long LastSequence,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<Money> Released,
    IReadOnlyList<Money> Seized,
    IReadOnlyList<Money> Proceeds,
    IReadOnlyList<Money> PoolDebited,
    IReadOnlyList<Money> PoolBalance,
    IReadOnlyList<Money> Paid,
    IReadOnlyList<Money> Confiscated,
    IReadOnlyList<Money> ReturnedBeforeTrial,
    IReadOnlyList<LedgerVictimView> Victims);

public sealed record ReconciliationCheckView(string Name, bool Holds, IReadOnlyList<string> Violations);

public sealed record ReconciliationView(string CaseNumber, bool Reconciled, long AsOfSequence, IReadOnlyList<ReconciliationCheckView> Checks);

public sealed record OrderedVictimInput(Guid? ClaimId, string? Name, decimal? AdjudicatedLoss, decimal? RecoveredElsewhere = null);

public sealed record OrderedCreditorInput(string? CreditorId, string? Name, PriorityClass? Class, decimal? Amount, string? BankName, string? AccountNumber);

/// <summary>A court's restitution order as recorded (and, in full again, as amended with a reason).</summary>
public sealed record RecordRestitutionOrderRequest(
    string? Court,
    string? JudgmentNumber,
    DateOnly? JudgmentDate,
    IReadOnlyList<string>? Defendants,
    string? Currency,
    DistributionPolicy? Policy,
    IReadOnlyList<OrderedVictimInput>? Victims,
    IReadOnlyList<OrderedCreditorInput>? Creditors = null,
    string? AmendmentReason = null);

public sealed record OrderHistoryEntry(long Version, string Event, DateTimeOffset At, Actor? By, string Summary);

public sealed record RestitutionOrderView(Guid OrderId, string CaseNumber, int OrderVersion, RestitutionOrderTerms Terms, Actor RecordedBy,
    DateTimeOffset RecordedAt, DateTimeOffset UpdatedAt, IReadOnlyList<OrderHistoryEntry> History);

public sealed record PlanRoundRequest(decimal? Amount, string? Reference);

public sealed record SetAutoDistributionRequest(bool? Enabled);

public sealed record CaseRecoveryView(string CaseNumber, bool AutoDistribute, int Rounds, DateTimeOffset? ClosedAt, string? ClosedReason);

public sealed record DistributionRoundView(Guid RoundId, string CaseNumber, int OrderVersion, DistributionPolicy Policy, Money Requested,
    Money Distributed, int AllocationCount, string Reference, Actor PlannedBy, DateTimeOffset PlannedAt, string Status,
    DateTimeOffset? SettledAt, string? CancelReason);

public sealed record PaymentView(Guid PaymentId, Guid RoundId, string CaseNumber, PriorityClass Class, Guid? ClaimId, string Payee, Money Amount,
    string BankName, string AccountNumber, string Status, string? BankReference, string? FailureReason, int Attempts, DateTimeOffset InstructedAt,
    DateTimeOffset UpdatedAt);

public sealed record ConfirmPaymentRequest(string? BankReference);

public sealed record FailPaymentRequest(string? Reason);

public sealed record ReinstructPaymentRequest(string? BankName, string? AccountNumber);

/// <summary>The restitution service's HTTP API.</summary>
public interface IRestitutionApi
{
    [Get("/api/cases/{caseNumber}/ledger")]
    Task<IApiResponse<CaseLedgerView>> GetCaseLedgerAsync(string caseNumber, CancellationToken cancellationToken = default);

    [Get("/api/cases/{caseNumber}/reconciliation")]
    Task<IApiResponse<ReconciliationView>> ReconcileAsync(string caseNumber, CancellationToken cancellationToken = default);

    [Get("/api/cases/{caseNumber}/recovery-report.csv")]
    Task<IApiResponse<string>> RecoveryReportCsvAsync(string caseNumber, CancellationToken cancellationToken = default);

    [Get("/api/cases/{caseNumber}/recovery-report")]
    Task<IApiResponse<string>> RecoveryReportHtmlAsync(string caseNumber, CancellationToken cancellationToken = default);

    /// <summary>Court: record the case's order, or amend it (amendmentReason required once it exists).</summary>
    [Put("/api/cases/{caseNumber}/restitution-order")]
    Task<IApiResponse<RestitutionOrderView>> RecordOrderAsync(string caseNumber, [Body] RecordRestitutionOrderRequest request,
        CancellationToken cancellationToken = default);

    [Get("/api/cases/{caseNumber}/restitution-order")]
    Task<IApiResponse<RestitutionOrderView>> GetOrderAsync(string caseNumber, CancellationToken cancellationToken = default);

    /// <summary>A page of the victims the order's current version names, in the order's sequence.</summary>
    [Get("/api/cases/{caseNumber}/restitution-order/victims")]
    Task<IApiResponse<Page<OrderedVictim>>> ListOrderedVictimsAsync(string caseNumber, [AliasAs("page")] int? page = null,
        [AliasAs("pageSize")] int? pageSize = null, CancellationToken cancellationToken = default);

    [Post("/api/cases/{caseNumber}/distribution-rounds")]
    Task<IApiResponse<DistributionRoundView>> PlanRoundAsync(string caseNumber, [Body] PlanRoundRequest request,
        CancellationToken cancellationToken = default);

    [Put("/api/cases/{caseNumber}/auto-distribution")]
    Task<IApiResponse<CaseRecoveryView>> SetAutoDistributionAsync(string caseNumber, [Body] SetAutoDistributionRequest request,
        CancellationToken cancellationToken = default);

    [Get("/api/cases/{caseNumber}/recovery")]
    Task<IApiResponse<CaseRecoveryView>> GetRecoveryAsync(string caseNumber, CancellationToken cancellationToken = default);

    [Get("/api/cases/{caseNumber}/distribution-rounds")]
    Task<IApiResponse<IReadOnlyList<DistributionRoundView>>> ListRoundsAsync(string caseNumber, CancellationToken cancellationToken = default);

    [Get("/api/cases/{caseNumber}/distribution-rounds/{roundId}/allocations")]
    Task<IApiResponse<Page<RoundAllocation>>> ListRoundAllocationsAsync(string caseNumber, Guid roundId, [AliasAs("page")] int? page = null,
        [AliasAs("pageSize")] int? pageSize = null, CancellationToken cancellationToken = default);

    /// <summary>A page of the case's payments in the order they were instructed; <paramref name="status"/> narrows them.</summary>
    [Get("/api/cases/{caseNumber}/payments")]
    Task<IApiResponse<Page<PaymentView>>> ListPaymentsAsync(string caseNumber, [AliasAs("status")] string? status = null,
        [AliasAs("page")] int? page = null, [AliasAs("pageSize")] int? pageSize = null, CancellationToken cancellationToken = default);

    [Post("/api/payments/{paymentId}/confirmation")]
    Task<IApiResponse<PaymentView>> ConfirmPaymentAsync(Guid paymentId, [Body] ConfirmPaymentRequest request, CancellationToken cancellationToken = default);

    [Post("/api/payments/{paymentId}/failure")]
    Task<IApiResponse<PaymentView>> FailPaymentAsync(Guid paymentId, [Body] FailPaymentRequest request, CancellationToken cancellationToken = default);

    [Post("/api/payments/{paymentId}/reinstruction")]
    Task<IApiResponse<PaymentView>> ReinstructPaymentAsync(Guid paymentId, [Body] ReinstructPaymentRequest request,
        CancellationToken cancellationToken = default);
}
