using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;

namespace AssetRecovery.Freeze.Domain;

/// <summary>A freeze request as validated input (the requesting officer comes from the token, not the body).</summary>
public sealed record FreezeRequestInput(
    string? CaseNumber, FreezeKind? Kind, string? BankCode, string? AccountNumber, string? AccountHolderName,
    string? Currency, decimal? Amount, bool WholeBalance, string? LegalDocumentReference, string? Reason);

public sealed record BankExecutionInput(
    BankExecutionOutcome? Outcome, decimal? FrozenAmount, decimal? BalanceAtExecution, string? ReasonCode,
    string? Detail, DateTimeOffset? ExecutedAt, string? BankReference);

/// <summary>The freeze rules: each takes the current state and a command and returns the events, or refuses.</summary>
public static class FreezeDecisions
{
    /// <summary>Reason codes a bank may give for refusing to execute.</summary>
    public static readonly IReadOnlySet<string> RejectionReasonCodes =
        new HashSet<string>(StringComparer.Ordinal) { "AccountClosed", "AccountNotFound", "DetailsMismatch", "AlreadyFrozenInFull", "Other" };

    public static FreezeRequested Request(Guid freezeId, FreezeRequestInput input, Actor actor, DateTimeOffset now, FreezeOptions options)
    {
        var v = new Validator()
            .Required("caseNumber", input.CaseNumber, 64)
            .Required("bankCode", input.BankCode, 32)
            .Required("accountHolderName", input.AccountHolderName, 200)
            .Required("legalDocumentReference", input.LegalDocumentReference, 128)
            .Required("reason", input.Reason, 2000)
            .Currency("currency", input.Currency);
        if (input.Kind is null) v.Add("kind", "is required (StopPayment or Freeze).");
        AccountNumbers.Validate(v, "accountNumber", input.AccountNumber);
        if (input.WholeBalance && input.Amount is not null)
            v.Add("amount", "must be empty when the whole balance is requested.");
        else if (!input.WholeBalance)
            v.PositiveAmount("amount", input.Amount, input.Currency);
        v.ThrowIfInvalid();

        var timeout = input.Kind == FreezeKind.StopPayment ? options.StopPaymentAcknowledgementTimeout : options.FreezeAcknowledgementTimeout;
        return new FreezeRequested(
            freezeId, input.CaseNumber!.Trim(), input.Kind!.Value, input.BankCode!.Trim(), AccountNumbers.Normalize(input.AccountNumber!),
            input.AccountHolderName!.Trim(), input.Currency!, input.WholeBalance ? null : input.Amount,
            input.LegalDocumentReference!.Trim(), input.Reason!.Trim(), now + timeout, actor, now);
    }

    /// <summary>What the bank reported. What is frozen is what the bank froze, not what was asked.</summary>
    public static ICaseEvent RecordBankExecution(Freeze freeze, BankExecutionInput input, Actor actor, DateTimeOffset now)
    {
        var v = new Validator();
        if (input.Outcome is null) v.Add("outcome", "is required (FrozenInFull, FrozenInPart or Rejected).");
        if (input.ExecutedAt is { } executedAt)
        {
            if (executedAt > now + ClockTolerance) v.Add("executedAt", "must not be in the future.");
            if (executedAt < freeze.RequestedAt - ClockTolerance) v.Add("executedAt", "must not be before the request.");
        }
        if (input.BankReference is not null) v.Required("bankReference", input.BankReference, 128);

        switch (input.Outcome)
        {
            case BankExecutionOutcome.Rejected:
                if (string.IsNullOrWhiteSpace(input.ReasonCode)) v.Add("reasonCode", "is required when the bank rejected the request.");
                else if (!RejectionReasonCodes.Contains(input.ReasonCode))
                    v.Add("reasonCode", $"must be one of {string.Join(", ", RejectionReasonCodes)}.");
                if (input.ReasonCode == "Other" && string.IsNullOrWhiteSpace(input.Detail)) v.Add("detail", "is required when the reason is Other.");
                if (input.FrozenAmount is not null) v.Add("frozenAmount", "must be empty when the bank rejected the request.");
                break;
            case BankExecutionOutcome.FrozenInFull:
                if (freeze.RequestedAmount is { } requested)
                {
                    if (input.FrozenAmount is not null && input.FrozenAmount != requested)
                        v.Add("frozenAmount", $"must equal the requested {requested} {freeze.Currency} for a freeze in full; use FrozenInPart otherwise.");
                }
                else v.PositiveAmount("frozenAmount", input.FrozenAmount, freeze.Currency);
                break;
            case BankExecutionOutcome.FrozenInPart:
                v.PositiveAmount("frozenAmount", input.FrozenAmount, freeze.Currency);
                v.PositiveAmount("balanceAtExecution", input.BalanceAtExecution, freeze.Currency);
                if (freeze.RequestedAmount is { } asked && input.FrozenAmount >= asked)
                    v.Add("frozenAmount", $"must be below the requested {asked} {freeze.Currency} for a freeze in part.");
                if (input.FrozenAmount > input.BalanceAtExecution)
                    v.Add("frozenAmount", "must not exceed the balance at execution.");
                break;
        }
        if (input.Detail is not null && input.Detail.Length > 2000) v.Add("detail", "must be at most 2000 characters.");
        v.ThrowIfInvalid();

        if (!freeze.IsAwaitingBank)
            throw new DomainRuleViolationException("freeze.already-executed",
                $"The bank's result for freeze {freeze.Id} was already recorded ({freeze.Status}).");

        var at = input.ExecutedAt ?? now;
        if (input.Outcome == BankExecutionOutcome.Rejected)
            return new FreezeRejectedByBank(freeze.Id, freeze.CaseNumber, input.ReasonCode!, input.Detail?.Trim(), at, actor, now);

        var frozen = input.Outcome == BankExecutionOutcome.FrozenInFull && freeze.RequestedAmount is { } full ? full : input.FrozenAmount!.Value;
        return new FreezeExecutedByBank(
            freeze.Id, freeze.CaseNumber, input.Outcome!.Value, new Money(frozen, freeze.Currency),
            input.BalanceAtExecution is { } balance ? new Money(balance, freeze.Currency) : null,
            at, input.BankReference?.Trim(), actor, now);
    }

    /// <summary>The saga found the deadline passed; flags the freeze once, and only while the bank has not answered.</summary>
    public static FreezeAcknowledgementOverdue? FlagOverdue(Freeze freeze, DateTimeOffset now) =>
        freeze.IsAwaitingBank && !freeze.AcknowledgementOverdue
            ? new FreezeAcknowledgementOverdue(freeze.Id, freeze.CaseNumber, freeze.AcknowledgementDueAt, now)
            : null;

    private static readonly TimeSpan ClockTolerance = TimeSpan.FromMinutes(5);
}
