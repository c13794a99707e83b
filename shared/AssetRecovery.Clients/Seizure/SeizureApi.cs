using AssetRecovery.Clients.Freeze;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Seizure;
using Refit;

namespace AssetRecovery.Clients.Seizure;

/// <summary>
/// Frozen money of one freeze as seizure sees it. Frozen is still frozen at the bank (including what seizures under way
/// reserved); AvailableToSeize = Frozen − Reserved while the hold lasts.
/// </summary>
public sealed record FrozenFundsView(
    Guid FreezeId,
    string CaseNumber,
    Money Frozen,
    Money AvailableToSeize,
    DateTimeOffset FrozenAt,
    Money FrozenAtExecution,
    Money Reserved,
    Money Seized,
    Money Released,
    string? EndReason);

/// <summary>Seize all (Amount null) or part of the money still available under a freeze.</summary>
public sealed record SeizeFrozenFundsRequest(string? LegalDocumentReference, string? Reason, decimal? Amount = null);

public sealed record SeizureAccepted(Guid SeizureId, string Status, Money Amount);

/// <summary>Where the seizure saga is.</summary>
public sealed record SeizureWorkflowView(string State, DateTimeOffset? HandOverRequestedAt, DateTimeOffset UpdatedAt);

public sealed record SeizureView(
    Guid SeizureId,
    int Version,
    string CaseNumber,
    Guid FreezeId,
    Money Amount,
    string Status,
    bool Direct,
    string LegalDocumentReference,
    string Reason,
    Actor RequestedBy,
    DateTimeOffset RequestedAt,
    Actor? HandedOverBy,
    DateTimeOffset? SeizedAt,
    string? RefusalRule,
    string? RefusalDetail,
    DateTimeOffset? RefusedAt,
    SeizureWorkflowView? Workflow);

/// <summary>
/// A non-cash asset to register. Give the details that match the type (none for Other). ThirdParty when someone other
/// than the suspect holds it: the recoverability is determined from it.
/// </summary>
/// <summary>The owner as entered; the identity number is stored encrypted and shown masked.</summary>
public sealed record AssetOwnerInput(string? Name, string? IdentityNumber = null);

/// <summary>The owner as shown: the identity number masked.</summary>
public sealed record AssetOwnerView(string Name, string? IdentityNumberMasked);

public sealed record RegisterAssetRequest(
    string? CaseNumber,
    AssetType? Type,
    string? Description,
    AssetOwnerInput? Owner,
    string? LegalDocumentReference,
    string? Reason,
    RealEstateDetails? RealEstate = null,
    VehicleDetails? Vehicle = null,
    PreciousMetalDetails? PreciousMetal = null,
    VirtualCurrencyHolding? VirtualCurrency = null,
    IReadOnlyList<string>? Documents = null,
    ThirdPartyAcquisition? ThirdParty = null);

public sealed record RecordValuationRequest(
    decimal? Amount, string? Currency, DateOnly? ValuedOn, ValuationMethod? Method, string? DocumentReference, string? Valuer = null);

/// <summary>Sold or auctioned: price and fees in the currency it was settled in (crypto: the fiat the platform paid out).</summary>
public sealed record RecordDisposalRequest(
    DisposalMethod? Method, decimal? Price, decimal? Fees, string? Currency, DateOnly? DisposedOn, string? DocumentReference,
    string? Reason, string? Counterparty = null);

public sealed record ReturnAssetRequest(string? ReturnedTo, DateOnly? ReturnedOn, string? DocumentReference, string? Reason);

public sealed record AssetView(
    Guid AssetId,
    int Version,
    string CaseNumber,
    AssetType Type,
    string Description,
    RealEstateDetails? RealEstate,
    VehicleDetails? Vehicle,
    PreciousMetalDetails? PreciousMetal,
    VirtualCurrencyHolding? VirtualCurrency,
    AssetOwnerView Owner,
    IReadOnlyList<string> Documents,
    ThirdPartyAcquisition? ThirdParty,
    RecoverabilityDetermination Recoverability,
    string Status,
    AssetValued? CurrentValuation,
    IReadOnlyList<AssetValued> Valuations,
    AssetDisposed? Disposal,
    AssetReturnedToOwner? Return,
    string LegalDocumentReference,
    string Reason,
    Actor RegisteredBy,
    DateTimeOffset RegisteredAt);

/// <summary>An asset in an inventory list.</summary>
public sealed record AssetSummary(
    Guid AssetId, string CaseNumber, AssetType Type, string Description, string Status, bool Recoverable, Money? CurrentValue,
    DateTimeOffset RegisteredAt);

/// <summary>A case's recovery pool: the balance per currency, and what went in and out in total.</summary>
public sealed record RecoveryPoolView(
    string CaseNumber, IReadOnlyList<Money> Balances, IReadOnlyList<Money> Credited, IReadOnlyList<Money> Debited, int Version);

/// <summary>One entry of the pool: Credit, Debit or DebitRefused, with the balance of its currency after it and why.</summary>
public sealed record RecoveryPoolMovementView(
    long Version, string Kind, Money Amount, Money BalanceAfter, string Source, Guid? SourceId, Guid? InstructionId,
    string Explanation, Actor By, DateTimeOffset At);

/// <summary>The seizure service's HTTP API.</summary>
public interface ISeizureApi
{
    [Get("/api/cases/{caseNumber}/frozen-funds")]
    Task<IApiResponse<IReadOnlyList<FrozenFundsView>>> GetFrozenFundsAsync(string caseNumber, CancellationToken cancellationToken = default);

    [Post("/api/frozen-funds/{freezeId}/seizures")]
    Task<IApiResponse<SeizureAccepted>> SeizeFrozenFundsAsync(Guid freezeId, [Body] SeizeFrozenFundsRequest request,
        [Header("Idempotency-Key")] string? idempotencyKey = null, CancellationToken cancellationToken = default);

    [Get("/api/seizures/{seizureId}")]
    Task<IApiResponse<SeizureView>> GetSeizureAsync(Guid seizureId, CancellationToken cancellationToken = default);

    [Get("/api/cases/{caseNumber}/seizures")]
    Task<IApiResponse<IReadOnlyList<SeizureView>>> ListSeizuresAsync(string caseNumber, CancellationToken cancellationToken = default);

    [Post("/api/assets")]
    Task<IApiResponse<AssetView>> RegisterAssetAsync([Body] RegisterAssetRequest request, CancellationToken cancellationToken = default);

    [Get("/api/assets/{assetId}")]
    Task<IApiResponse<AssetView>> GetAssetAsync(Guid assetId, CancellationToken cancellationToken = default);

    [Post("/api/assets/{assetId}/valuations")]
    Task<IApiResponse<AssetView>> RecordValuationAsync(Guid assetId, [Body] RecordValuationRequest request,
        CancellationToken cancellationToken = default);

    [Post("/api/assets/{assetId}/disposal")]
    Task<IApiResponse<AssetView>> RecordDisposalAsync(Guid assetId, [Body] RecordDisposalRequest request,
        CancellationToken cancellationToken = default);

    [Post("/api/assets/{assetId}/return-to-owner")]
    Task<IApiResponse<AssetView>> ReturnToOwnerAsync(Guid assetId, [Body] ReturnAssetRequest request, CancellationToken cancellationToken = default);

    [Get("/api/cases/{caseNumber}/assets")]
    Task<IApiResponse<Page<AssetSummary>>> ListCaseAssetsAsync(string caseNumber, [AliasAs("type")] AssetType? type = null,
        [AliasAs("page")] int? page = null, [AliasAs("pageSize")] int? pageSize = null, CancellationToken cancellationToken = default);

    [Get("/api/assets")]
    Task<IApiResponse<Page<AssetSummary>>> ListAssetsByTypeAsync([AliasAs("type")] AssetType type, [AliasAs("page")] int? page = null,
        [AliasAs("pageSize")] int? pageSize = null, CancellationToken cancellationToken = default);

    [Get("/api/cases/{caseNumber}/recovery-pool")]
    Task<IApiResponse<RecoveryPoolView>> GetRecoveryPoolAsync(string caseNumber, CancellationToken cancellationToken = default);

    [Get("/api/cases/{caseNumber}/recovery-pool/movements")]
    Task<IApiResponse<Page<RecoveryPoolMovementView>>> GetRecoveryPoolMovementsAsync(string caseNumber, [AliasAs("page")] int? page = null,
        [AliasAs("pageSize")] int? pageSize = null, CancellationToken cancellationToken = default);
}
