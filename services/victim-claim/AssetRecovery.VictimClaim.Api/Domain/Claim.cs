using AssetRecovery.Contracts;
using AssetRecovery.Contracts.VictimClaim;

namespace AssetRecovery.VictimClaim.Domain;

public enum ClaimStatus
{
    /// <summary>Filed, waiting for an investigator.</summary>
    Filed,
    /// <summary>The investigator asked the victim a question.</summary>
    InformationRequested,
    /// <summary>The victim answered; back with the investigator.</summary>
    InformationSupplied,
    Approved,
    Denied,
    /// <summary>The victim contested the denial; back with the investigator.</summary>
    ReconsiderationRequested,
}

/// <summary>The claim aggregate: current state of one claim stream, built from its events (inline snapshot).</summary>
public sealed record Claim
{
    public Guid Id { get; init; }
    public int Version { get; init; }
    public required string Reference { get; init; }
    /// <summary>Token subject of the victim who filed it: the only victim who may see or change it.</summary>
    public required string VictimSubject { get; init; }
    public required string FullName { get; init; }
    public required ProtectedIdNumber IdNumber { get; init; }
    public required ClaimContact Contact { get; init; }
    public required IReadOnlyList<LostPayment> Payments { get; init; }
    public required Money ClaimedLoss { get; init; }
    public required ReturnAccount ReturnAccount { get; init; }
    /// <summary>The case as the victim gave it, or as an investigator linked it.</summary>
    public string? CaseNumber { get; init; }
    /// <summary>True once an investigator linked the claim to the case.</summary>
    public bool CaseConfirmed { get; init; }
    /// <summary>The victim's id in the case's bank records, which traces report money under.</summary>
    public string? TraceVictimId { get; init; }
    public string? Description { get; init; }
    public ClaimStatus Status { get; init; }
    public Money? VerifiedLoss { get; init; }
    public string? OpenQuestion { get; init; }
    public string? DenialReason { get; init; }
    public bool ReconsiderationUsed { get; init; }
    public DateTimeOffset FiledAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public string Currency => ClaimedLoss.Currency;

    /// <summary>The claim after one more of its events.</summary>
    public Claim Then(object change) => change switch
    {
        ClaimLinkedToCase e => Apply(e),
        ClaimInformationRequested e => Apply(e),
        ClaimInformationSupplied e => Apply(e),
        ClaimApproved e => Apply(e),
        ClaimDenied e => Apply(e),
        ClaimReconsiderationRequested e => Apply(e),
        ClaimReturnAccountChanged e => Apply(e),
        _ => throw new ArgumentException($"{change.GetType().Name} is not a change of a filed claim.", nameof(change)),
    };

    public static Claim Create(ClaimFiled e) => new()
    {
        Id = e.ClaimId,
        Reference = e.Reference,
        VictimSubject = e.VictimSubject,
        FullName = e.FullName,
        IdNumber = e.IdNumber,
        Contact = e.Contact,
        Payments = e.Payments,
        ClaimedLoss = e.ClaimedLoss,
        ReturnAccount = e.ReturnAccount,
        CaseNumber = e.CaseNumber,
        Description = e.Description,
        Status = ClaimStatus.Filed,
        FiledAt = e.FiledAt,
        UpdatedAt = e.FiledAt,
    };

    public Claim Apply(ClaimLinkedToCase e) =>
        this with { CaseNumber = e.CaseNumber, CaseConfirmed = true, TraceVictimId = e.TraceVictimId, UpdatedAt = e.LinkedAt };

    public Claim Apply(ClaimInformationRequested e) =>
        this with { Status = ClaimStatus.InformationRequested, OpenQuestion = e.Question, UpdatedAt = e.RequestedAt };

    public Claim Apply(ClaimInformationSupplied e) => this with
    {
        Status = ClaimStatus.InformationSupplied,
        OpenQuestion = null,
        Payments = [.. Payments, .. e.AddedPayments],
        ClaimedLoss = e.ClaimedLoss,
        UpdatedAt = e.SuppliedAt,
    };

    public Claim Apply(ClaimApproved e) => this with
    {
        Status = ClaimStatus.Approved,
        CaseNumber = e.CaseNumber,
        CaseConfirmed = true,
        VerifiedLoss = e.VerifiedLoss,
        DenialReason = null,
        UpdatedAt = e.ApprovedAt,
    };

    public Claim Apply(ClaimDenied e) => this with { Status = ClaimStatus.Denied, DenialReason = e.Reason, VerifiedLoss = null, UpdatedAt = e.DeniedAt };

    public Claim Apply(ClaimReturnAccountChanged e) => this with { ReturnAccount = e.ReturnAccount, UpdatedAt = e.ChangedAt };

    public Claim Apply(ClaimReconsiderationRequested e) =>
        this with { Status = ClaimStatus.ReconsiderationRequested, ReconsiderationUsed = true, UpdatedAt = e.RequestedAt };
}
