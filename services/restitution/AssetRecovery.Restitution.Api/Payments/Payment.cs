using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Restitution;

namespace AssetRecovery.Restitution.Payments;

public enum PaymentStatus
{
    Instructed,
    Confirmed,
    Failed,
}

/// <summary>One payment instruction to a bank, on its own stream: confirmed once, or failed and instructed again.</summary>
public sealed record Payment
{
    public Guid Id { get; init; }
    public int Version { get; init; }
    public Guid RoundId { get; init; }
    public required string CaseNumber { get; init; }
    public PriorityClass Class { get; init; }
    public Guid? ClaimId { get; init; }
    public required string Payee { get; init; }
    public required Money Amount { get; init; }
    public required string AccountNumber { get; init; }
    public required string BankName { get; init; }
    public PaymentStatus Status { get; init; }
    public string? BankReference { get; init; }
    public string? FailureReason { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset InstructedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public static Payment Create(PaymentInstructed e) => new()
    {
        Id = e.PaymentId, RoundId = e.RoundId, CaseNumber = e.CaseNumber, Class = e.Class, ClaimId = e.ClaimId, Payee = e.Payee, Amount = e.Amount,
        AccountNumber = e.AccountNumber, BankName = e.BankName, Status = PaymentStatus.Instructed, Attempts = 1, InstructedAt = e.InstructedAt,
        UpdatedAt = e.InstructedAt,
    };

    public Payment Apply(PaymentConfirmed e) => this with { Status = PaymentStatus.Confirmed, BankReference = e.BankReference, UpdatedAt = e.ConfirmedAt };

    public Payment Apply(PaymentFailed e) => this with { Status = PaymentStatus.Failed, FailureReason = e.Reason, UpdatedAt = e.FailedAt };

    public Payment Apply(PaymentReinstructed e) => this with
    {
        Status = PaymentStatus.Instructed, AccountNumber = e.AccountNumber, BankName = e.BankName, FailureReason = null, Attempts = Attempts + 1,
        UpdatedAt = e.ReinstructedAt,
    };
}
