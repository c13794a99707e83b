using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;

namespace AssetRecovery.Freeze.Domain;

/// <summary>A freeze request as validated input (the requesting officer comes from the token, not the body).</summary>
public sealed record FreezeRequestInput(
    string? CaseNumber, FreezeKind? Kind, string? BankCode, string? AccountNumber, string? AccountHolderName,
    string? Currency, decimal? Amount, bool WholeBalance, string? LegalDocumentReference, string? Reason,
    FreezeAssetType? AssetType = null, bool MajorCase = false, string? ApprovedBy = null, string? ApprovalReference = null);

public sealed record BankExecutionInput(
    BankExecutionOutcome? Outcome, decimal? FrozenAmount, decimal? BalanceAtExecution, string? ReasonCode,
    string? Detail, DateTimeOffset? ExecutedAt, string? BankReference);

public sealed record RenewalInput(int? TermMonths, string? LegalDocumentReference, string? Reason);

public sealed record ReleaseInput(decimal? Amount, string? Reason, string? DocumentReference);

/// <summary>
/// What a request does: a new hold (possibly queued, possibly replacing the case's own stop-payment on the account),
/// or, for a repeat of an earlier request (same case, account and document), that earlier freeze.
/// </summary>
public sealed record RequestDecision(Guid FreezeId, FreezeRequested? Requested, AccountHoldRegistered? Registration, AccountHold? ConvertedStopPayment)
{
    public bool IsRepeat => Requested is null;
}

/// <summary>The freeze rules: each takes the current state and a command and returns the events, or refuses.</summary>
public static class FreezeDecisions
{
    /// <summary>Reason codes a bank may give for refusing to execute.</summary>
    public static readonly IReadOnlySet<string> RejectionReasonCodes =
        new HashSet<string>(StringComparer.Ordinal) { "AccountClosed", "AccountNotFound", "DetailsMismatch", "AlreadyFrozenInFull", "Other" };

    public static void Validate(FreezeRequestInput input, BankAccountRules banks)
    {
        var v = new Validator()
            .Required("caseNumber", input.CaseNumber, 64)
            .Required("bankCode", input.BankCode, 32)
            .Required("accountHolderName", input.AccountHolderName, 200)
            .Required("legalDocumentReference", input.LegalDocumentReference, 128)
            .Required("reason", input.Reason, 2000)
            .Currency("currency", input.Currency);
        if (input.Kind is null) v.Add("kind", "is required (StopPayment or Freeze).");
        banks.Validate(v, "accountNumber", input.BankCode, input.AccountNumber);
        if (input.WholeBalance && input.Amount is not null)
            v.Add("amount", "must be empty when the whole balance is requested.");
        else if (!input.WholeBalance)
            v.PositiveAmount("amount", input.Amount, input.Currency);
        if (input.MajorCase)
        {
            if (input.Kind == FreezeKind.StopPayment) v.Add("majorCase", "applies to formal freezes only.");
            v.Required("approvedBy", input.ApprovedBy, 200).Required("approvalReference", input.ApprovalReference, 128);
        }
        else if (input.ApprovedBy is not null || input.ApprovalReference is not null)
            v.Add("majorCase", "a senior approval is recorded only for a major or complex case (majorCase: true).");
        if (input.Kind == FreezeKind.StopPayment && input.AssetType is not null and not FreezeAssetType.BankDeposit)
            v.Add("assetType", "a stop-payment applies to bank deposits only.");
        v.ThrowIfInvalid();
    }

    /// <summary>Decides a request against the account's holds; the input must have passed <see cref="Validate"/>.</summary>
    public static RequestDecision Request(Guid freezeId, FreezeRequestInput input, AccountHolds? account, Actor actor,
        DateTimeOffset now, FreezeOptions options)
    {
        var kind = input.Kind!.Value;
        var caseNumber = input.CaseNumber!.Trim();
        var document = input.LegalDocumentReference!.Trim();
        var holds = account?.Holds ?? [];

        if (holds.FirstOrDefault(h => h.CaseNumber == caseNumber && h.LegalDocumentReference == document && h.Kind == kind) is { } earlier)
            return new RequestDecision(earlier.FreezeId, null, null, null);

        if (kind == FreezeKind.StopPayment
            && holds.Count(h => h.Kind == FreezeKind.StopPayment && h.EndReason != nameof(FreezeStatus.RejectedByBank)) >= options.MaxStopPaymentsPerAccount)
            throw new DomainRuleViolationException("stop-payment.limit-reached",
                $"The account has had {options.MaxStopPaymentsPerAccount} stop-payments already; only a formal freeze can hold it now.");

        var active = holds.Where(h => h.State == HoldState.Active).ToList();
        var ownActive = active.Where(h => h.CaseNumber == caseNumber).ToList();
        AccountHold? converted = null;
        if (ownActive.FirstOrDefault(h => h.Kind == FreezeKind.Freeze) is { } ownFreeze)
            throw new DomainRuleViolationException("freeze.already-held",
                $"Case {caseNumber} already holds this account under freeze {ownFreeze.FreezeId}; renew or release it instead.");
        if (ownActive.FirstOrDefault(h => h.Kind == FreezeKind.StopPayment) is { } ownStop)
        {
            if (kind == FreezeKind.StopPayment)
                throw new DomainRuleViolationException("stop-payment.already-active",
                    $"Stop-payment {ownStop.FreezeId} of case {caseNumber} is still in force on this account; turn it into a formal freeze.");
            converted = ownStop;
        }
        var queued = active.Any(h => h.CaseNumber != caseNumber);

        var assetType = input.AssetType ?? FreezeAssetType.BankDeposit;
        var requested = new FreezeRequested(
            freezeId, caseNumber, kind, AccountNumbers.NormalizeBankCode(input.BankCode!), AccountNumbers.Normalize(input.AccountNumber!),
            input.AccountHolderName!.Trim(), input.Currency!, input.WholeBalance ? null : input.Amount, document, input.Reason!.Trim(),
            queued ? null : now + options.AcknowledgementTimeout(kind), actor, now,
            assetType, options.TermFor(kind, assetType, input.MajorCase), input.MajorCase,
            input.MajorCase ? new SeniorApproval(input.ApprovedBy!.Trim(), input.ApprovalReference!.Trim()) : null,
            queued, converted?.FreezeId);
        var registration = new AccountHoldRegistered(requested.BankCode, requested.AccountNumber, freezeId, caseNumber, kind, document, queued, now);
        return new RequestDecision(freezeId, requested, registration, converted);
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

        if (freeze.Status == FreezeStatus.Queued)
            throw new DomainRuleViolationException("freeze.queued",
                $"Freeze {freeze.Id} is queued behind another case's hold; the bank executes it only once it is activated.");
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
            at, input.BankReference?.Trim(), actor, now, freeze.Term.EndOf(at), freeze.AccountNumber);
    }

    /// <summary>
    /// A renewal filed before expiry extends the term from the current expiry by at most the original term
    /// (by default exactly the original term). Stop-payments are not renewed: they become formal freezes.
    /// </summary>
    public static FreezeRenewed Renew(Freeze freeze, RenewalInput input, Actor actor, DateTimeOffset now)
    {
        var v = new Validator()
            .Required("legalDocumentReference", input.LegalDocumentReference, 128)
            .Required("reason", input.Reason, 2000);
        if (input.TermMonths is < 1) v.Add("termMonths", "must be at least 1.");
        if (input.TermMonths is { } asked && freeze.Kind == FreezeKind.Freeze && asked > freeze.Term.Months)
            v.Add("termMonths", $"must not exceed the original term of {freeze.Term.Months} months.");
        v.ThrowIfInvalid();

        if (freeze.Kind == FreezeKind.StopPayment)
            throw new DomainRuleViolationException("stop-payment.not-renewable",
                "A stop-payment is not renewed: request a formal freeze of the same case and account to replace it.");
        if (!freeze.IsFrozen || freeze.ExpiresAt is not { } expiresAt)
            throw new DomainRuleViolationException("freeze.not-frozen", $"Freeze {freeze.Id} holds no money ({freeze.Status}); nothing to renew.");
        if (now >= expiresAt)
            throw new DomainRuleViolationException("freeze.expired", $"Freeze {freeze.Id} expired at {expiresAt:u}; a renewal must be filed before expiry.");

        var term = input.TermMonths is { } months ? new FreezeTerm(months, 0) : freeze.Term;
        return new FreezeRenewed(freeze.Id, freeze.CaseNumber, expiresAt, term.EndOf(expiresAt),
            input.LegalDocumentReference!.Trim(), input.Reason!.Trim(), actor, now);
    }

    /// <summary>Release in whole (no amount, or all of it) or in part, always with a reason and a document.</summary>
    public static FreezeReleased Release(Freeze freeze, ReleaseInput input, Actor actor, DateTimeOffset now)
    {
        var (taken, remaining) = TakeOut(freeze, input, "release");
        return new FreezeReleased(freeze.Id, freeze.CaseNumber, taken, remaining, remaining.Amount == 0m,
            input.Reason!.Trim(), input.DocumentReference!.Trim(), actor, now);
    }

    /// <summary>Hand frozen money over to seizure's custody, in whole or in part, with a reason and a document.</summary>
    public static FreezeHandedOverToSeizure HandOverToSeizure(Freeze freeze, ReleaseInput input, Actor actor, DateTimeOffset now)
    {
        var (taken, remaining) = TakeOut(freeze, input, "hand over");
        return new FreezeHandedOverToSeizure(freeze.Id, freeze.CaseNumber, taken, remaining, remaining.Amount == 0m,
            input.Reason!.Trim(), input.DocumentReference!.Trim(), actor, now);
    }

    /// <summary>
    /// The seizure service's request to hand over <paramref name="amount"/> for seizure <paramref name="seizureId"/>:
    /// null when this seizure was already handed over (a repeat changes nothing); refused when the case or currency
    /// differ or more is asked than is frozen.
    /// </summary>
    public static FreezeHandedOverToSeizure? HandOverForSeizure(Freeze freeze, Guid seizureId, string caseNumber, Money amount,
        string reason, string documentReference, Actor actor, DateTimeOffset now)
    {
        if (freeze.SeizuresHandedOver.Contains(seizureId)) return null;
        if (caseNumber != freeze.CaseNumber)
            throw new DomainRuleViolationException("freeze.other-case",
                $"Freeze {freeze.Id} belongs to case {freeze.CaseNumber}, not {caseNumber}.");
        if (amount.Currency != freeze.Currency)
            throw new DomainRuleViolationException("freeze.currency-mismatch",
                $"Freeze {freeze.Id} holds {freeze.Currency}; {amount.Currency} cannot be handed over from it.");
        if (freeze.FrozenAmount is { } frozen && freeze.IsFrozen && amount.Amount > frozen.Amount)
            throw new DomainRuleViolationException("freeze.exceeds-frozen",
                $"Freeze {freeze.Id} holds {frozen.Amount} {frozen.Currency}; {amount.Amount} cannot be handed over.");
        return HandOverToSeizure(freeze, new ReleaseInput(amount.Amount, reason, documentReference), actor, now) with { SeizureId = seizureId };
    }

    /// <summary>Money taken out of a freeze (released or handed over): what is taken and what stays frozen, to the cent.</summary>
    private static (Money Taken, Money Remaining) TakeOut(Freeze freeze, ReleaseInput input, string what)
    {
        var v = new Validator()
            .Required("reason", input.Reason, 2000)
            .Required("documentReference", input.DocumentReference, 128);
        if (input.Amount is not null) v.PositiveAmount("amount", input.Amount, freeze.Currency);
        v.ThrowIfInvalid();

        if (!freeze.IsFrozen || freeze.FrozenAmount is not { } frozen)
            throw new DomainRuleViolationException("freeze.not-frozen", $"Freeze {freeze.Id} holds no money ({freeze.Status}); nothing to {what}.");
        var amount = input.Amount ?? frozen.Amount;
        if (amount > frozen.Amount)
            throw new RequestValidationException(new Dictionary<string, string[]>
            {
                ["amount"] = [$"must not exceed the {frozen.Amount} {frozen.Currency} still frozen."],
            });
        return (new Money(amount, frozen.Currency), new Money(frozen.Amount - amount, frozen.Currency));
    }

    // The saga's deadlines say which deadline fired; the freeze decides whether it still stands. Comparing with the
    // deadline, not with this host's clock, keeps a deadline delivered by a host whose clock runs ahead from doing nothing.

    /// <summary>The acknowledgement deadline <paramref name="dueAt"/> passed: flag once, and only while the bank has not answered.</summary>
    public static FreezeAcknowledgementOverdue? FlagOverdue(Freeze freeze, DateTimeOffset dueAt, DateTimeOffset now) =>
        freeze.IsAwaitingBank && !freeze.AcknowledgementOverdue && freeze.AcknowledgementDueAt is { } due && due <= dueAt
            ? new FreezeAcknowledgementOverdue(freeze.Id, freeze.CaseNumber, due, now)
            : null;

    /// <summary>The reminder for the term ending <paramref name="expiresAt"/>, once, unless the term has moved since.</summary>
    public static FreezeExpiryReminderIssued? Remind(Freeze freeze, DateTimeOffset expiresAt, DateTimeOffset now) =>
        freeze.IsFrozen && freeze.ReminderIssuedAt is null && freeze.ExpiresAt == expiresAt
            ? new FreezeExpiryReminderIssued(freeze.Id, freeze.CaseNumber, expiresAt, now)
            : null;

    /// <summary>The term ending <paramref name="expiresAt"/> is over: the hold lapses unless it was renewed or ended meanwhile.</summary>
    public static FreezeLapsed? Lapse(Freeze freeze, DateTimeOffset expiresAt, DateTimeOffset now) =>
        freeze.IsFrozen && freeze.ExpiresAt is { } current && current <= expiresAt
            ? new FreezeLapsed(freeze.Id, freeze.CaseNumber, current, freeze.FrozenAmount, now)
            : null;

    private static readonly TimeSpan ClockTolerance = TimeSpan.FromMinutes(5);
}
