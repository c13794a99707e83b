using AssetRecovery.Clients.Freeze;
using AssetRecovery.Contracts;
using Refit;

namespace AssetRecovery.Clients.VictimClaim;

public sealed record CaseInterceptionView(string CaseNumber, int AccountsFrozen, IReadOnlyList<Money> Frozen, DateTimeOffset UpdatedAt);

public sealed record LostPaymentInput(DateTimeOffset? PaidAt, decimal? Amount, string? Currency, string? FromAccount, string? ToAccount,
    string? Reference = null);

public sealed record ReturnAccountInput(string? BankName, string? AccountNumber, string? AccountHolderName);

/// <summary>A victim's claim as filed: who they are, how to reach them, each lost payment, where to return the money.</summary>
public sealed record FileClaimRequest(
    string? FullName,
    string? IdNumber,
    string? Email,
    string? Phone,
    IReadOnlyList<LostPaymentInput>? Payments,
    ReturnAccountInput? ReturnAccount,
    string? CaseNumber = null,
    string? Description = null);

/// <summary>The receipt a victim keeps: the claim's reference is what they quote to the police and the court.</summary>
public sealed record ClaimReceipt(Guid ClaimId, string Reference, string Status, Money ClaimedLoss, DateTimeOffset FiledAt);

public sealed record ApproveClaimRequest(decimal? VerifiedAmount, string? Reason, string? CaseNumber = null, string? TraceVictimId = null);

public sealed record LinkClaimRequest(string? CaseNumber, string? TraceVictimId);

public sealed record DenyClaimRequest(string? Reason);

public sealed record RequestClaimInformationRequest(string? Question);

public sealed record SupplyClaimInformationRequest(string? Answer, IReadOnlyList<LostPaymentInput>? AddedPayments = null);

public sealed record RequestReconsiderationRequest(string? Grounds);

public sealed record LostPaymentView(DateTimeOffset PaidAt, Money Amount, string FromAccount, string ToAccount, string? Reference);

public sealed record ReturnAccountView(string BankName, string AccountNumber, string AccountHolderName);

/// <summary>
/// Where the victim's money stands, in the claim's currency. Verified is the loss the investigator accepted; traced is
/// the victim's money still in accounts per the case's latest trace; frozen is their share of what is secured in those
/// accounts (frozen at the bank or taken into custody); ordered and paid come from restitution; outstanding is verified
/// less paid.
/// </summary>
public sealed record MoneyTrailView(
    string Currency,
    decimal Claimed,
    decimal? Verified,
    decimal Traced,
    decimal Frozen,
    decimal Ordered,
    decimal Paid,
    decimal? Outstanding,
    DateTimeOffset? UpdatedAt);

public sealed record ClaimTimelineEntry(long Version, string Event, DateTimeOffset At, string By, string Summary);

public sealed record ClaimView(
    Guid ClaimId,
    string Reference,
    string Status,
    string FullName,
    string IdNumberMasked,
    string? Email,
    string? Phone,
    IReadOnlyList<LostPaymentView> Payments,
    Money ClaimedLoss,
    ReturnAccountView ReturnAccount,
    string? CaseNumber,
    bool CaseConfirmed,
    string? TraceVictimId,
    Money? VerifiedLoss,
    string? OpenQuestion,
    string? DenialReason,
    bool MayRequestReconsideration,
    DateTimeOffset FiledAt,
    DateTimeOffset UpdatedAt,
    MoneyTrailView MoneyTrail,
    IReadOnlyList<ClaimTimelineEntry> Timeline);

public sealed record ClaimSummary(Guid ClaimId, string Reference, string Status, string? CaseNumber, Money ClaimedLoss, Money? VerifiedLoss,
    DateTimeOffset FiledAt, DateTimeOffset UpdatedAt);

public sealed record VictimNotificationView(Guid Id, Guid ClaimId, string Kind, string Message, DateTimeOffset CreatedAt, DateTimeOffset? SentAt);

/// <summary>The victim-claim service's HTTP API.</summary>
public interface IVictimClaimApi
{
    [Get("/api/cases/{caseNumber}/interception")]
    Task<IApiResponse<CaseInterceptionView>> GetCaseInterceptionAsync(string caseNumber, CancellationToken cancellationToken = default);

    /// <summary>Victim: file a claim (an Idempotency-Key makes a retry safe).</summary>
    [Post("/api/claims")]
    Task<IApiResponse<ClaimReceipt>> FileAsync([Body] FileClaimRequest request, [Header("Idempotency-Key")] string? idempotencyKey = null,
        CancellationToken cancellationToken = default);

    /// <summary>A victim gets their own claims; an investigator the claims of a case (caseNumber) or those not yet linked (unlinked=true).</summary>
    [Get("/api/claims")]
    Task<IApiResponse<Page<ClaimSummary>>> ListAsync(string? caseNumber = null, bool? unlinked = null, int? page = null, int? pageSize = null,
        CancellationToken cancellationToken = default);

    [Get("/api/claims/{claimId}")]
    Task<IApiResponse<ClaimView>> GetAsync(Guid claimId, CancellationToken cancellationToken = default);

    [Get("/api/claims/{claimId}/notifications")]
    Task<IApiResponse<IReadOnlyList<VictimNotificationView>>> GetNotificationsAsync(Guid claimId, CancellationToken cancellationToken = default);

    [Post("/api/claims/{claimId}/information")]
    Task<IApiResponse<ClaimView>> SupplyInformationAsync(Guid claimId, [Body] SupplyClaimInformationRequest request,
        CancellationToken cancellationToken = default);

    [Post("/api/claims/{claimId}/reconsideration")]
    Task<IApiResponse<ClaimView>> RequestReconsiderationAsync(Guid claimId, [Body] RequestReconsiderationRequest request,
        CancellationToken cancellationToken = default);

    [Post("/api/claims/{claimId}/return-account")]
    Task<IApiResponse<ClaimView>> ChangeReturnAccountAsync(Guid claimId, [Body] ReturnAccountInput request, CancellationToken cancellationToken = default);

    [Post("/api/claims/{claimId}/case-link")]
    Task<IApiResponse<ClaimView>> LinkToCaseAsync(Guid claimId, [Body] LinkClaimRequest request, CancellationToken cancellationToken = default);

    [Post("/api/claims/{claimId}/information-request")]
    Task<IApiResponse<ClaimView>> RequestInformationAsync(Guid claimId, [Body] RequestClaimInformationRequest request,
        CancellationToken cancellationToken = default);

    [Post("/api/claims/{claimId}/approval")]
    Task<IApiResponse<ClaimView>> ApproveAsync(Guid claimId, [Body] ApproveClaimRequest request, CancellationToken cancellationToken = default);

    [Post("/api/claims/{claimId}/denial")]
    Task<IApiResponse<ClaimView>> DenyAsync(Guid claimId, [Body] DenyClaimRequest request, CancellationToken cancellationToken = default);
}
