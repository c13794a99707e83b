using System.Text.Json.Serialization;

namespace AssetRecovery.Contracts.Restitution;

/// <summary>Who is paid first when there is not enough for everyone, in the legal order (domain-rules.md).</summary>
public enum PriorityClass
{
    MedicalCosts = 1,
    VictimLosses = 2,
    OtherCivilDebts = 3,
    Fines = 4,
    Confiscation = 5,
}

/// <summary>How victims share what their class receives (recorded on each order and round).</summary>
public enum DistributionPolicy
{
    /// <summary>In proportion to each victim's net loss (adjudicated less recovered elsewhere and already paid).</summary>
    ProRata,
    /// <summary>Every victim brought to the same overall recovery percentage, counting what they recovered elsewhere.</summary>
    RisingTide,
}

/// <summary>A victim in a restitution order: their claim, the loss the court adjudicated and what they recovered elsewhere.</summary>
public sealed record OrderedVictim(Guid ClaimId, string Name, Money AdjudicatedLoss, Money RecoveredElsewhere);

/// <summary>Another creditor of the defendants' assets (medical costs, civil debts, fines, confiscation) and the account the court names.</summary>
public sealed record OrderedCreditor(string CreditorId, string Name, PriorityClass Class, Money Amount, string BankName, string AccountNumber);

/// <summary>
/// What a court order says; each amendment states it in full again (the history keeps every version). In an order's
/// events the victims are listed apart (<see cref="RestitutionOrderVictimsListed"/>) and <see cref="Victims"/> is empty;
/// events recorded before that carry them here.
/// </summary>
public sealed record RestitutionOrderTerms(
    string Court,
    string JudgmentNumber,
    DateOnly JudgmentDate,
    IReadOnlyList<string> Defendants,
    string Currency,
    DistributionPolicy Policy,
    IReadOnlyList<OrderedVictim> Victims,
    IReadOnlyList<OrderedCreditor> Creditors);

/// <summary>
/// A court's restitution order for a case (one order per case; amended, not replaced). Its victims follow in
/// <see cref="RestitutionOrderVictimsListed"/> events, <paramref name="VictimsListedApart"/> of them in all (0 in events
/// recorded before, whose terms carry the victims).
/// </summary>
public sealed record RestitutionOrderRecorded(
    Guid OrderId,
    string CaseNumber,
    RestitutionOrderTerms Terms,
    Actor RecordedBy,
    DateTimeOffset RecordedAt,
    int VictimsListedApart = 0) : ICaseEvent;

/// <summary>The order stated in full again, its victims listed apart as <see cref="RestitutionOrderRecorded"/>'s are.</summary>
public sealed record RestitutionOrderAmended(
    Guid OrderId,
    string CaseNumber,
    int OrderVersion,
    RestitutionOrderTerms Terms,
    string Reason,
    Actor AmendedBy,
    DateTimeOffset AmendedAt,
    int VictimsListedApart = 0) : ICaseEvent;

/// <summary>
/// Part of the victims of an order's version, from position <paramref name="FirstOrdinal"/> (0-based) in the order's
/// sequence; appended right after the version's recorded or amended event, in the same transaction. A 100,000-victim
/// order in one event was a 19 MB event and message that every reader took whole (docs/benchmarks, finding 22).
/// </summary>
public sealed record RestitutionOrderVictimsListed(
    Guid OrderId,
    string CaseNumber,
    int OrderVersion,
    int FirstOrdinal,
    IReadOnlyList<OrderedVictim> Victims) : ICaseEvent;

/// <summary>One payee's part of a round: a victim (by claim) or another creditor.</summary>
public sealed record RoundAllocation(Guid PaymentId, PriorityClass Class, Guid? ClaimId, string? CreditorId, string Payee, Money Amount);

/// <summary>
/// A distribution round was worked out from the order (its version recorded) and the money asked for: who gets what, in
/// the legal order of classes and the order's policy. Distributed is the sum of the allocations, never more than asked.
/// In the store the allocations are listed apart (<see cref="DistributionRoundAllocationsListed"/>),
/// <paramref name="AllocationsListedApart"/> of them in all, and <see cref="Allocations"/> is empty; rounds recorded
/// before that (0 listed apart) carry them here. Not relayed: <see cref="DistributionRoundFundingRequested"/>, appended
/// with it, is the round as a message.
/// </summary>
[NotRelayed]
public sealed record DistributionRoundPlanned(
    Guid RoundId,
    string CaseNumber,
    Guid OrderId,
    int OrderVersion,
    DistributionPolicy Policy,
    Money Requested,
    Money Distributed,
    [property: JsonConverter(typeof(RoundAllocationsJson))] IReadOnlyList<RoundAllocation> Allocations,
    string Reference,
    Actor PlannedBy,
    DateTimeOffset PlannedAt,
    int AllocationsListedApart = 0) : ICaseEvent
{
    /// <summary>How many payees the round gives something, wherever its allocations are listed.</summary>
    public int AllocationCount() => Allocations.Count + AllocationsListedApart;
}

/// <summary>
/// Part of a round's allocations, from position <paramref name="FirstOrdinal"/> (0-based) in the split's order; appended
/// right after the round's <see cref="DistributionRoundPlanned"/>, in the same transaction. A round of 100,000 payees in
/// one event was 12 MB that the round's request serialised and the case ledger read whole (docs/benchmarks, finding 24).
/// </summary>
[NotRelayed]
public sealed record DistributionRoundAllocationsListed(
    Guid RoundId,
    string CaseNumber,
    int FirstOrdinal,
    [property: JsonConverter(typeof(RoundAllocationsJson))] IReadOnlyList<RoundAllocation> Allocations) : ICaseEvent;

/// <summary>
/// A planned round asks for its money out of the recovery pool: appended with its <see cref="DistributionRoundPlanned"/>
/// (which stays in the store), without the allocations.
/// </summary>
public sealed record DistributionRoundFundingRequested(
    Guid RoundId,
    string CaseNumber,
    int OrderVersion,
    DistributionPolicy Policy,
    Money Amount,
    string Reference,
    Actor PlannedBy,
    DateTimeOffset PlannedAt) : ICaseEvent
{
    public static DistributionRoundFundingRequested Of(DistributionRoundPlanned round) => new(round.RoundId, round.CaseNumber,
        round.OrderVersion, round.Policy, round.Distributed, round.Reference, round.PlannedBy, round.PlannedAt);
}

/// <summary>The seizure service paid the round's money out of the recovery pool: the payments can be made.</summary>
public sealed record DistributionRoundFunded(Guid RoundId, string CaseNumber, Money Amount, DateTimeOffset FundedAt) : ICaseEvent;

/// <summary>The pool could not fund the round (its balance fell meanwhile): nothing of it is paid.</summary>
public sealed record DistributionRoundCancelled(Guid RoundId, string CaseNumber, string Reason, DateTimeOffset CancelledAt) : ICaseEvent;

/// <summary>An instruction to a bank to pay one payee of a funded round, to the account given.</summary>
public sealed record PaymentInstructed(
    Guid PaymentId,
    Guid RoundId,
    string CaseNumber,
    PriorityClass Class,
    Guid? ClaimId,
    string Payee,
    Money Amount,
    string AccountNumber,
    string BankName,
    DateTimeOffset InstructedAt) : ICaseEvent;

/// <summary>The bank confirmed the payment (once per instruction).</summary>
public sealed record PaymentConfirmed(
    Guid PaymentId,
    Guid RoundId,
    string CaseNumber,
    Guid? ClaimId,
    Money Amount,
    string BankReference,
    Actor ConfirmedBy,
    DateTimeOffset ConfirmedAt) : ICaseEvent;

/// <summary>The bank could not pay (closed or wrong account...): it waits for a corrected account.</summary>
public sealed record PaymentFailed(
    Guid PaymentId,
    Guid RoundId,
    string CaseNumber,
    Guid? ClaimId,
    Money Amount,
    string Reason,
    Actor ReportedBy,
    DateTimeOffset FailedAt) : ICaseEvent;

/// <summary>A failed payment instructed again to a corrected account.</summary>
public sealed record PaymentReinstructed(
    Guid PaymentId,
    string CaseNumber,
    string AccountNumber,
    string BankName,
    Actor ReinstructedBy,
    DateTimeOffset ReinstructedAt) : ICaseEvent;

/// <summary>An investigator let the case's recovery saga start rounds by itself as money reaches the pool (or stopped it).</summary>
public sealed record AutoDistributionSet(string CaseNumber, bool Enabled, Actor SetBy, DateTimeOffset SetAt) : ICaseEvent;

/// <summary>
/// Every victim and creditor of the order was paid in full: the case's recovery is over. What is left in the pool is
/// stated, for the court to release or confiscate.
/// </summary>
public sealed record CaseRecoveryClosed(string CaseNumber, string Reason, IReadOnlyList<Money> Paid, IReadOnlyList<Money> LeftInPool,
    DateTimeOffset ClosedAt) : ICaseEvent;

/// <summary>
/// The recovery saga asks the restitution service to look at the case again: start a round, or close it.
/// <paramref name="ClosingOnly"/>: after a payment's confirmation, which neither brings money nor changes what is due: the
/// case is looked at only once it may close (a 100,000-victim case is not worked out again at each of its confirmations).
/// </summary>
public sealed record ReviewCaseRecovery(string CaseNumber, IReadOnlyList<Money> PoolBalance, bool ClosingOnly = false);
