namespace AssetRecovery.Contracts.VictimClaim;

/// <summary>One payment the victim lost: when, how much, from which of their accounts to which account.</summary>
public sealed record LostPayment(DateTimeOffset PaidAt, Money Amount, string FromAccount, string ToAccount, string? Reference);

/// <summary>Where the victim wants their money returned.</summary>
public sealed record ReturnAccount(string BankName, string AccountNumber, string AccountHolderName);

/// <summary>How to reach the victim.</summary>
public sealed record ClaimContact(string? Email, string? Phone);

/// <summary>
/// A victim filed a claim. VictimSubject is the token subject of the filer: it alone may see and change the claim.
/// CaseNumber is what the victim knows of the police case, if anything; an investigator confirms it by linking.
/// </summary>
public sealed record ClaimFiled(
    Guid ClaimId,
    string Reference,
    string VictimSubject,
    string FullName,
    ProtectedIdNumber IdNumber,
    ClaimContact Contact,
    IReadOnlyList<LostPayment> Payments,
    Money ClaimedLoss,
    ReturnAccount ReturnAccount,
    string? CaseNumber,
    string? Description,
    Actor FiledBy,
    DateTimeOffset FiledAt) : IDomainEvent;

/// <summary>
/// An investigator tied the claim to a police case and, once known, to the victim's id in that case's bank records
/// (the id traces report money under). ClaimedLoss is what the victim reported, so the case ledger sees it.
/// </summary>
public sealed record ClaimLinkedToCase(
    Guid ClaimId,
    string CaseNumber,
    string? TraceVictimId,
    Actor LinkedBy,
    DateTimeOffset LinkedAt,
    Money? ClaimedLoss = null) : ICaseEvent;

/// <summary>The investigator needs more from the victim before deciding.</summary>
public sealed record ClaimInformationRequested(Guid ClaimId, string Question, Actor RequestedBy, DateTimeOffset RequestedAt) : IDomainEvent;

/// <summary>The victim answered, possibly adding payments they had left out.</summary>
public sealed record ClaimInformationSupplied(
    Guid ClaimId,
    string Answer,
    IReadOnlyList<LostPayment> AddedPayments,
    Money ClaimedLoss,
    Actor SuppliedBy,
    DateTimeOffset SuppliedAt) : IDomainEvent;

/// <summary>Verified: the loss the investigator accepts (never above the claimed loss). A later approval revises it.</summary>
public sealed record ClaimApproved(
    Guid ClaimId,
    string CaseNumber,
    Money VerifiedLoss,
    string Reason,
    Actor ApprovedBy,
    DateTimeOffset ApprovedAt) : ICaseEvent;

public sealed record ClaimDenied(Guid ClaimId, string Reason, Actor DeniedBy, DateTimeOffset DeniedAt) : IDomainEvent;

/// <summary>The victim contests a denial (once per claim); the investigator decides again.</summary>
public sealed record ClaimReconsiderationRequested(Guid ClaimId, string Grounds, Actor RequestedBy, DateTimeOffset RequestedAt) : IDomainEvent;

/// <summary>The victim gave another account for the return (e.g. after a bank could not pay the first one).</summary>
public sealed record ClaimReturnAccountChanged(Guid ClaimId, ReturnAccount ReturnAccount, Actor ChangedBy, DateTimeOffset ChangedAt) : IDomainEvent;
