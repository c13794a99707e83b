using System.Collections.Immutable;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Restitution;

namespace AssetRecovery.Restitution.PreTrialReturns;

public enum PreTrialReturnStatus
{
    Applied,
    TableBuilt,
    /// <summary>Direct or separable: decided, waiting for approval.</summary>
    Decided,
    /// <summary>Pro rata: the 30-day public notice runs.</summary>
    InNotice,
    /// <summary>Pro rata: the notice is over, waiting for approval.</summary>
    NoticeClosed,
    /// <summary>Approved: the freeze is paying the money out.</summary>
    Approved,
    /// <summary>The bank is instructed; its receipt is due.</summary>
    Instructed,
    Completed,
    Refused,
}

public sealed record PreTrialObjection(Guid ObjectionId, Guid? ClaimId, string Grounds, Actor FiledBy, DateTimeOffset FiledAt,
    ObjectionOutcome? Outcome = null, string? Resolution = null, Actor? ResolvedBy = null, DateTimeOffset? ResolvedAt = null);

/// <summary>One pre-trial return on its own stream (inline snapshot): from the application to the bank's receipt.</summary>
public sealed record PreTrialReturn
{
    public Guid Id { get; init; }
    public int Version { get; init; }
    public required string CaseNumber { get; init; }
    public Guid FreezeId { get; init; }
    public required string BankCode { get; init; }
    public required string AccountNumber { get; init; }
    public required string Currency { get; init; }
    public required string Reference { get; init; }
    public ImmutableList<PreTrialApplicant> Applicants { get; init; } = [];
    public PreTrialReturnStatus Status { get; init; }
    public PreTrialFundFlowTableBuilt? Table { get; init; }
    public PreTrialReturnDecided? Decision { get; init; }
    public ImmutableList<PreTrialObjection> Objections { get; init; } = [];
    public DateTimeOffset? NoticeClosedAt { get; init; }
    public PreTrialReturnApproved? Approval { get; init; }
    public PreTrialReturnInstructed? Instruction { get; init; }
    public DateTimeOffset? EscalatedAt { get; init; }
    public PreTrialReturnReceiptRecorded? Receipt { get; init; }
    public PreTrialReturnExecutionRefused? Refusal { get; init; }
    public required Actor AppliedBy { get; init; }
    public DateTimeOffset AppliedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Before approval the table and the decision may be made again.</summary>
    public bool IsOpen => Status is PreTrialReturnStatus.Applied or PreTrialReturnStatus.TableBuilt or PreTrialReturnStatus.Decided
        or PreTrialReturnStatus.InNotice or PreTrialReturnStatus.NoticeClosed;

    public static PreTrialReturn Create(PreTrialReturnApplied e) => new()
    {
        Id = e.ReturnId, CaseNumber = e.CaseNumber, FreezeId = e.FreezeId, BankCode = e.BankCode, AccountNumber = e.AccountNumber,
        Currency = e.Currency, Reference = e.Reference, Applicants = [.. e.Applicants], Status = PreTrialReturnStatus.Applied,
        AppliedBy = e.AppliedBy, AppliedAt = e.AppliedAt, UpdatedAt = e.AppliedAt,
    };

    /// <summary>A new table replaces the decision made on the old one (and its notice and objections).</summary>
    public PreTrialReturn Apply(PreTrialFundFlowTableBuilt e) => this with
    {
        Table = e, Decision = null, Objections = [], NoticeClosedAt = null, Status = PreTrialReturnStatus.TableBuilt, UpdatedAt = e.BuiltAt,
    };

    /// <summary>A new decision starts afresh: objections to the earlier one were answered by it.</summary>
    public PreTrialReturn Apply(PreTrialReturnDecided e) => this with
    {
        Decision = e, Objections = [], NoticeClosedAt = null, UpdatedAt = e.DecidedAt,
        Status = e.NoticeEndsAt is null ? PreTrialReturnStatus.Decided : PreTrialReturnStatus.InNotice,
    };

    public PreTrialReturn Apply(PreTrialReturnObjectionFiled e) => this with
    {
        Objections = Objections.Add(new PreTrialObjection(e.ObjectionId, e.ClaimId, e.Grounds, e.FiledBy, e.FiledAt)), UpdatedAt = e.FiledAt,
    };

    public PreTrialReturn Apply(PreTrialReturnObjectionResolved e) => this with
    {
        Objections = Objections.Select(o => o.ObjectionId == e.ObjectionId
            ? o with { Outcome = e.Outcome, Resolution = e.Reason, ResolvedBy = e.ResolvedBy, ResolvedAt = e.ResolvedAt }
            : o).ToImmutableList(),
        UpdatedAt = e.ResolvedAt,
    };

    public PreTrialReturn Apply(PreTrialReturnNoticeClosed e) => this with { Status = PreTrialReturnStatus.NoticeClosed, NoticeClosedAt = e.ClosedAt, UpdatedAt = e.ClosedAt };

    public PreTrialReturn Apply(PreTrialReturnApproved e) => this with { Approval = e, Status = PreTrialReturnStatus.Approved, UpdatedAt = e.ApprovedAt };

    public PreTrialReturn Apply(PreTrialReturnInstructed e) => this with { Instruction = e, Status = PreTrialReturnStatus.Instructed, UpdatedAt = e.InstructedAt };

    public PreTrialReturn Apply(PreTrialReturnExecutionRefused e) => this with { Refusal = e, Status = PreTrialReturnStatus.Refused, UpdatedAt = e.RefusedAt };

    public PreTrialReturn Apply(PreTrialReturnReceiptOverdue e) => this with { EscalatedAt = e.EscalatedAt, UpdatedAt = e.EscalatedAt };

    public PreTrialReturn Apply(PreTrialReturnReceiptRecorded e) => this with { Receipt = e, Status = PreTrialReturnStatus.Completed, UpdatedAt = e.RecordedAt };
}
