using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;

namespace AssetRecovery.Freeze.Domain;

public enum FreezeStatus
{
    AwaitingBankExecution,
    FrozenInFull,
    FrozenInPart,
    RejectedByBank,
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
    public required string LegalDocumentReference { get; init; }
    public required string Reason { get; init; }
    public required Actor RequestedBy { get; init; }
    public DateTimeOffset RequestedAt { get; init; }
    public DateTimeOffset AcknowledgementDueAt { get; init; }
    public bool AcknowledgementOverdue { get; init; }
    public FreezeStatus Status { get; init; }
    public Money? FrozenAmount { get; init; }
    public Money? BalanceAtExecution { get; init; }
    public DateTimeOffset? ExecutedAt { get; init; }
    public string? BankReference { get; init; }
    public string? RejectionReasonCode { get; init; }
    public string? RejectionDetail { get; init; }

    public bool IsAwaitingBank => Status == FreezeStatus.AwaitingBankExecution;

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
        LegalDocumentReference = e.LegalDocumentReference,
        Reason = e.Reason,
        RequestedBy = e.RequestedBy,
        RequestedAt = e.RequestedAt,
        AcknowledgementDueAt = e.AcknowledgementDueAt,
        Status = FreezeStatus.AwaitingBankExecution,
    };

    public Freeze Apply(FreezeExecutedByBank e) => this with
    {
        Status = e.Outcome == BankExecutionOutcome.FrozenInFull ? FreezeStatus.FrozenInFull : FreezeStatus.FrozenInPart,
        FrozenAmount = e.FrozenAmount,
        BalanceAtExecution = e.BalanceAtExecution,
        ExecutedAt = e.ExecutedAt,
        BankReference = e.BankReference,
    };

    public Freeze Apply(FreezeRejectedByBank e) => this with
    {
        Status = FreezeStatus.RejectedByBank,
        RejectionReasonCode = e.ReasonCode,
        RejectionDetail = e.Detail,
        ExecutedAt = e.RejectedAt,
    };

    public Freeze Apply(FreezeAcknowledgementOverdue _) => this with { AcknowledgementOverdue = true };
}
