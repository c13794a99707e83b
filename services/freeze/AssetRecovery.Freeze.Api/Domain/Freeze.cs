using System.Collections.Immutable;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;

namespace AssetRecovery.Freeze.Domain;

public enum FreezeStatus
{
    /// <summary>Waiting behind another case's hold on the account; not yet sent to the bank.</summary>
    Queued,
    AwaitingBankExecution,
    FrozenInFull,
    FrozenInPart,
    RejectedByBank,
    Released,
    Lapsed,
    /// <summary>A stop-payment replaced by a formal freeze.</summary>
    Converted,
    /// <summary>All of the frozen money went into seizure's custody.</summary>
    HandedOverToSeizure,
}

/// <summary>The freeze aggregate: current state of one freeze stream, built from its events (inline snapshot).</summary>
public sealed record Freeze
{
    public Guid Id { get; init; }
    public int Version { get; init; }
    public required string CaseNumber { get; init; }
    public FreezeKind Kind { get; init; }
    public required string BankCode { get; init; }
    public required string AccountNumber { get; init; }
    public required string AccountHolderName { get; init; }
    public required string Currency { get; init; }
    /// <summary>Null when the whole balance was asked for.</summary>
    public decimal? RequestedAmount { get; init; }
    public FreezeAssetType AssetType { get; init; }
    public required FreezeTerm Term { get; init; }
    public bool MajorCase { get; init; }
    public SeniorApproval? SeniorApproval { get; init; }
    public required string LegalDocumentReference { get; init; }
    public required string Reason { get; init; }
    public required Actor RequestedBy { get; init; }
    public DateTimeOffset RequestedAt { get; init; }
    public DateTimeOffset? AcknowledgementDueAt { get; init; }
    public bool AcknowledgementOverdue { get; init; }
    public FreezeStatus Status { get; init; }
    public Money? FrozenAmount { get; init; }
    public Money? BalanceAtExecution { get; init; }
    public DateTimeOffset? ExecutedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public int Renewals { get; init; }
    public DateTimeOffset? ReminderIssuedAt { get; init; }
    public Money? Released { get; init; }
    public Money? HandedOverToSeizure { get; init; }
    /// <summary>The seizures this freeze handed money over for (each at most once).</summary>
    public ImmutableList<Guid> SeizuresHandedOver { get; init; } = [];
    public DateTimeOffset? EndedAt { get; init; }
    public string? BankReference { get; init; }
    public string? RejectionReasonCode { get; init; }
    public string? RejectionDetail { get; init; }
    public Guid? ConvertsStopPaymentId { get; init; }
    public Guid? ConvertedToFreezeId { get; init; }

    public bool IsAwaitingBank => Status == FreezeStatus.AwaitingBankExecution;

    /// <summary>Money is held at the bank under this freeze.</summary>
    public bool IsFrozen => Status is FreezeStatus.FrozenInFull or FreezeStatus.FrozenInPart;

    /// <summary>Over: nothing more can happen to it.</summary>
    public bool IsEnded => Status is FreezeStatus.RejectedByBank or FreezeStatus.Released or FreezeStatus.Lapsed or FreezeStatus.Converted
        or FreezeStatus.HandedOverToSeizure;

    public static Freeze Create(FreezeRequested e) => new()
    {
        Id = e.FreezeId,
        CaseNumber = e.CaseNumber,
        Kind = e.Kind,
        BankCode = e.BankCode,
        AccountNumber = e.AccountNumber,
        AccountHolderName = e.AccountHolderName,
        Currency = e.Currency,
        RequestedAmount = e.RequestedAmount,
        AssetType = e.AssetType,
        Term = e.Term ?? new FreezeTerm(0, 0),
        MajorCase = e.MajorCase,
        SeniorApproval = e.SeniorApproval,
        LegalDocumentReference = e.LegalDocumentReference,
        Reason = e.Reason,
        RequestedBy = e.RequestedBy,
        RequestedAt = e.RequestedAt,
        AcknowledgementDueAt = e.AcknowledgementDueAt,
        Status = e.Queued ? FreezeStatus.Queued : FreezeStatus.AwaitingBankExecution,
        ConvertsStopPaymentId = e.ConvertsStopPaymentId,
    };

    public Freeze Apply(FreezeActivated e) => this with
    {
        Status = FreezeStatus.AwaitingBankExecution,
        AcknowledgementDueAt = e.AcknowledgementDueAt,
    };

    public Freeze Apply(FreezeExecutedByBank e) => this with
    {
        Status = e.Outcome == BankExecutionOutcome.FrozenInFull ? FreezeStatus.FrozenInFull : FreezeStatus.FrozenInPart,
        FrozenAmount = e.FrozenAmount,
        BalanceAtExecution = e.BalanceAtExecution,
        ExecutedAt = e.ExecutedAt,
        ExpiresAt = e.ExpiresAt,
        BankReference = e.BankReference,
    };

    public Freeze Apply(FreezeRejectedByBank e) => this with
    {
        Status = FreezeStatus.RejectedByBank,
        RejectionReasonCode = e.ReasonCode,
        RejectionDetail = e.Detail,
        ExecutedAt = e.RejectedAt,
        EndedAt = e.RecordedAt,
    };

    public Freeze Apply(FreezeAcknowledgementOverdue _) => this with { AcknowledgementOverdue = true };

    public Freeze Apply(FreezeRenewed e) => this with { ExpiresAt = e.NewExpiresAt, Renewals = Renewals + 1, ReminderIssuedAt = null };

    public Freeze Apply(FreezeExpiryReminderIssued e) => this with { ReminderIssuedAt = e.IssuedAt };

    public Freeze Apply(FreezeLapsed e) => this with { Status = FreezeStatus.Lapsed, EndedAt = e.LapsedAt };

    public Freeze Apply(FreezeReleased e) => this with
    {
        Status = e.Whole ? FreezeStatus.Released : Status,
        FrozenAmount = e.Remaining,
        Released = new Money((Released?.Amount ?? 0m) + e.Released.Amount, e.Released.Currency),
        EndedAt = e.Whole ? e.ReleasedAt : EndedAt,
    };

    public Freeze Apply(FreezeHandedOverToSeizure e) => this with
    {
        Status = e.Whole ? FreezeStatus.HandedOverToSeizure : Status,
        FrozenAmount = e.Remaining,
        HandedOverToSeizure = new Money((HandedOverToSeizure?.Amount ?? 0m) + e.HandedOver.Amount, e.HandedOver.Currency),
        SeizuresHandedOver = e.SeizureId is { } seizureId ? SeizuresHandedOver.Add(seizureId) : SeizuresHandedOver,
        EndedAt = e.Whole ? e.HandedOverAt : EndedAt,
    };

    public Freeze Apply(StopPaymentConverted e) => this with
    {
        Status = FreezeStatus.Converted,
        ConvertedToFreezeId = e.FormalFreezeId,
        EndedAt = e.ConvertedAt,
    };
}
