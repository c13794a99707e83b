using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Contracts.Restitution;
using AssetRecovery.Restitution.Claimants;

namespace AssetRecovery.Restitution.PreTrialReturns;

public sealed record ApplicantInput(Guid? ClaimId, decimal? AmountLost, string? ReturnBankName, string? ReturnAccountNumber, string? ReturnAccountHolderName);

/// <summary>
/// The pre-trial return rules (domain-rules.md, "Return to victims"), pure: each takes the current state and returns the
/// event, or refuses (400 for bad input, 409 for a rule).
/// <list type="bullet">
/// <item>Mode: one traced victim with money in the frozen account → Direct; several, under a trace run FIFO or LIFO (which
/// attributes each outflow by transaction time, so each victim's remaining money is told apart) → SeparableByTime;
/// otherwise → ProRata with a 30-day public notice.</item>
/// <item>Available: the victims' money in the account, i.e. what is frozen, but no more than the trace puts there (the
/// holder's own money is not returned).</item>
/// <item>Direct and separable: the available money is split over what the trace holds for each victim (exactly what each
/// holds when the freeze covers it all). Pro rata: split over each traced victim's loss (the bank records' figure) over
/// the total loss of all victims with money in the account. Splits are <see cref="LargestRemainder.Split"/> in minor
/// units, in the trace's victim order.</item>
/// <item>Only applicants are paid, each at most the lower of the loss they state and their verified loss; the shares of
/// victims who have not applied, and anything above a cap, stay frozen (newly found victims start a new return).</item>
/// </list>
/// </summary>
public static class PreTrialDecisions
{
    public static readonly TimeSpan NoticePeriod = TimeSpan.FromDays(30);
    public const int ReceiptWorkingDays = 3;

    /// <summary>Levels at which a decision may be approved: prefecture-city or above.</summary>
    public static readonly IReadOnlyList<string> ApproverLevels = ["prefecture-city", "provincial", "ministry"];

    /// <summary>China Standard Time (no daylight saving): the banks' working days are counted on this calendar.</summary>
    public static readonly TimeSpan BankCalendarOffset = TimeSpan.FromHours(8);

    public static PreTrialReturnApplied Apply(Guid returnId, string caseNumber, Guid? freezeId, IReadOnlyList<ApplicantInput>? inputs, string? reference,
        FrozenAccount? freeze, IReadOnlyDictionary<Guid, Claimant> claimants, Actor actor, DateTimeOffset now)
    {
        var v = new Validator().Required("caseNumber", caseNumber, 64).Required("reference", reference, 128);
        if (freezeId is null || freezeId == Guid.Empty) v.Add("freezeId", "is required.");
        if (inputs is null || inputs.Count == 0) v.Add("applicants", "at least one victim must apply.");
        else if (inputs.Count > 500) v.Add("applicants", "at most 500 victims per application.");
        var currency = freeze?.Currency;
        var applicants = new List<PreTrialApplicant>();
        for (var i = 0; i < (inputs?.Count ?? 0); i++)
        {
            var input = inputs![i];
            var field = $"applicants[{i}]";
            if (input.ClaimId is not { } claimId || claimId == Guid.Empty) { v.Add($"{field}.claimId", "is required."); continue; }
            if (inputs.Take(i).Any(x => x.ClaimId == claimId)) v.Add($"{field}.claimId", "is listed twice.");
            v.PositiveAmount($"{field}.amountLost", input.AmountLost, currency);
            var custom = input.ReturnBankName is not null || input.ReturnAccountNumber is not null || input.ReturnAccountHolderName is not null;
            if (custom)
                v.Required($"{field}.returnBankName", input.ReturnBankName, 200).Required($"{field}.returnAccountNumber", input.ReturnAccountNumber, 64)
                    .Required($"{field}.returnAccountHolderName", input.ReturnAccountHolderName, 200);
            if (!claimants.TryGetValue(claimId, out var claimant)) continue; // refused below, once the input is valid
            if (custom && input.ReturnAccountHolderName is { } holder && !string.Equals(holder.Trim(), claimant.Name, StringComparison.Ordinal))
                v.Add($"{field}.returnAccountHolderName", "the money goes only to an account of the victim: the holder must be the victim.");
            if (claimant.VerifiedLoss is { } verified && input.AmountLost is { } lost)
                applicants.Add(new PreTrialApplicant(claimId, claimant.Name, claimant.TraceVictimId, new Money(lost, verified.Currency), verified,
                    custom ? input.ReturnBankName!.Trim() : claimant.BankName, custom ? input.ReturnAccountNumber!.Trim() : claimant.AccountNumber,
                    custom ? input.ReturnAccountHolderName!.Trim() : claimant.Name));
        }
        v.ThrowIfInvalid();

        if (freeze is null) throw new ResourceNotFoundException("Freeze", freezeId!.Value.ToString());
        if (freeze.CaseNumber != caseNumber)
            throw new DomainRuleViolationException("pre-trial-return.other-case", $"Freeze {freeze.FreezeId} belongs to case {freeze.CaseNumber}, not {caseNumber}.");
        if (!freeze.IsFrozen || freeze.Frozen <= 0m)
            throw new DomainRuleViolationException("pre-trial-return.not-frozen", $"Freeze {freeze.FreezeId} holds no money ({freeze.Status}).");
        foreach (var input in inputs!)
        {
            var claimId = input.ClaimId!.Value;
            if (!claimants.TryGetValue(claimId, out var claimant))
                throw new UnprocessableRequestException("pre-trial-return.claim-unknown", $"Claim {claimId} is not known to restitution (yet).");
            if (claimant.CaseNumber != caseNumber)
                throw new DomainRuleViolationException("pre-trial-return.claim-other-case", $"Claim {claimId} is not a claim of case {caseNumber}.");
            if (claimant.VerifiedLoss is not { } verified)
                throw new DomainRuleViolationException("pre-trial-return.claim-not-verified", $"Claim {claimId} has no verified loss (not approved).");
            if (verified.Currency != freeze.Currency)
                throw new DomainRuleViolationException("pre-trial-return.currency-mismatch",
                    $"Claim {claimId} is in {verified.Currency}; the freeze holds {freeze.Currency}.");
            if (claimant.TraceVictimId is null)
                throw new DomainRuleViolationException("pre-trial-return.claim-not-traced",
                    $"Claim {claimId} is not linked to a victim of the case's bank records, so the trace cannot show its money.");
        }
        return new PreTrialReturnApplied(returnId, caseNumber, freeze.FreezeId, freeze.BankCode, freeze.AccountNumber, freeze.Currency, applicants,
            reference!.Trim(), actor, now);
    }

    /// <summary>The fund-flow table of the frozen account from the case's latest trace and what the freeze holds now.</summary>
    public static PreTrialFundFlowTableBuilt BuildTable(PreTrialReturn ret, CaseTrace? trace, FrozenAccount? freeze, Actor actor, DateTimeOffset now)
    {
        EnsureOpen(ret);
        if (freeze is not { IsFrozen: true } || freeze.Frozen <= 0m)
            throw new DomainRuleViolationException("pre-trial-return.not-frozen", $"Freeze {ret.FreezeId} holds no money ({freeze?.Status ?? "unknown"}).");
        if (trace is null)
            throw new DomainRuleViolationException("pre-trial-return.no-trace",
                $"Case {ret.CaseNumber} has no completed trace in {ret.Currency} yet: run one so the table shows whose money is in the account.");
        var account = Identifiers.Compact(ret.AccountNumber);
        var claims = ret.Applicants.Where(a => a.TraceVictimId is not null).ToDictionary(a => a.TraceVictimId!, a => a.ClaimId, StringComparer.Ordinal);
        var rows = trace.Victims
            .Where(victim => victim.Held.TryGetValue(account, out var held) && held > 0m)
            .Select(victim => new FundFlowRow(victim.VictimId, claims.TryGetValue(victim.VictimId, out var claimId) ? claimId : null,
                new Money(victim.Loss, trace.Currency), new Money(victim.Held[account], trace.Currency)))
            .ToList();
        if (rows.Count == 0)
            throw new DomainRuleViolationException("pre-trial-return.no-victim-money",
                $"Trace {trace.TraceId} puts no victim's money in account {ret.AccountNumber}.");
        return new PreTrialFundFlowTableBuilt(ret.Id, ret.CaseNumber, trace.TraceId, trace.Rule.ToString(), trace.CompletedAt,
            new Money(freeze.Frozen, freeze.Currency), rows, actor, now);
    }

    public static PreTrialReturnMode ModeOf(PreTrialFundFlowTableBuilt table) =>
        table.Rows.Count == 1 ? PreTrialReturnMode.Direct
        : table.TraceRule is nameof(TraceRule.Fifo) or nameof(TraceRule.Lifo) ? PreTrialReturnMode.SeparableByTime
        : PreTrialReturnMode.ProRata;

    public static PreTrialReturnDecided Decide(PreTrialReturn ret, string? decisionReference, string? reason, Actor actor, DateTimeOffset now)
    {
        new Validator().Required("decisionReference", decisionReference, 128).Required("reason", reason, 2000).ThrowIfInvalid();
        EnsureOpen(ret);
        var table = ret.Table ?? throw new DomainRuleViolationException("pre-trial-return.no-table", "Build the fund-flow table first.");
        var currency = ret.Currency;
        var mode = ModeOf(table);
        var heldMinor = table.Rows.Sum(r => Currencies.ToMinorUnits(r.Held.Amount, currency));
        var available = Math.Min(Currencies.ToMinorUnits(table.Frozen.Amount, currency), heldMinor);
        var weights = table.Rows.Select(r => Currencies.ToMinorUnits(mode == PreTrialReturnMode.ProRata ? r.Loss.Amount : r.Held.Amount, currency)).ToList();
        var shares = LargestRemainder.Split(available, weights);

        var applicants = ret.Applicants.ToDictionary(a => a.ClaimId);
        var allocations = new List<PreTrialAllocation>();
        for (var i = 0; i < table.Rows.Count; i++)
        {
            if (table.Rows[i].ClaimId is not { } claimId || !applicants.TryGetValue(claimId, out var applicant)) continue;
            var cap = Math.Min(Currencies.ToMinorUnits(applicant.AmountLost.Amount, currency), Currencies.ToMinorUnits(applicant.VerifiedLoss.Amount, currency));
            var part = Math.Min(shares[i], cap);
            if (part > 0)
                allocations.Add(new PreTrialAllocation(claimId, applicant.VictimName, new Money(Currencies.FromMinorUnits(part, currency), currency),
                    applicant.ReturnBankName, applicant.ReturnAccountNumber));
        }
        if (allocations.Count == 0)
            throw new DomainRuleViolationException("pre-trial-return.nothing-to-return",
                "The trace puts none of the frozen money to the applicants' credit in this account.");
        var total = allocations.Sum(a => a.Amount.Amount);
        return new PreTrialReturnDecided(ret.Id, ret.CaseNumber, mode, new Money(Currencies.FromMinorUnits(available, currency), currency), allocations,
            new Money(total, currency), new Money(table.Frozen.Amount - total, currency), decisionReference!.Trim(), reason!.Trim(),
            mode == PreTrialReturnMode.ProRata ? now + NoticePeriod : null, actor, now);
    }

    /// <summary>Victims object about their own claims; investigators about any. Only while the notice runs.</summary>
    public static PreTrialReturnObjectionFiled Object(PreTrialReturn ret, Guid objectionId, Guid? claimId, string? grounds, Claimant? claimant,
        Actor actor, bool isVictim, DateTimeOffset now)
    {
        var v = new Validator().Required("grounds", grounds, 4000);
        if (isVictim && claimId is null) v.Add("claimId", "a victim objects about their own claim: name it.");
        v.ThrowIfInvalid();
        if (claimId is { } id)
        {
            if (claimant is null || claimant.CaseNumber != ret.CaseNumber) throw new ResourceNotFoundException("Claim of case " + ret.CaseNumber, id.ToString());
            if (isVictim && claimant.VictimSubject != actor.Subject) throw new AccessDeniedException("A victim may object only about their own claim.");
        }
        if (ret.Status != PreTrialReturnStatus.InNotice || ret.Decision?.NoticeEndsAt is not { } endsAt || now >= endsAt)
            throw new DomainRuleViolationException("pre-trial-return.no-notice", "Objections are filed while a pro rata decision's public notice runs.");
        return new PreTrialReturnObjectionFiled(ret.Id, ret.CaseNumber, objectionId, claimId, grounds!.Trim(), actor, now);
    }

    public static PreTrialReturnObjectionResolved? Resolve(PreTrialReturn ret, Guid objectionId, ObjectionOutcome? outcome, string? reason, Actor actor,
        DateTimeOffset now)
    {
        var v = new Validator().Required("reason", reason, 2000);
        if (outcome is null || !Enum.IsDefined(outcome.Value)) v.Add("outcome", "is required (Dismissed or Upheld).");
        v.ThrowIfInvalid();
        var objection = ret.Objections.FirstOrDefault(o => o.ObjectionId == objectionId)
                        ?? throw new ResourceNotFoundException("Objection", objectionId.ToString());
        if (objection.Outcome is { } done)
        {
            if (done == outcome && objection.Resolution == reason!.Trim()) return null; // a repeat
            throw new DomainRuleViolationException("pre-trial-return.objection-resolved", $"The objection was already resolved ({done}).");
        }
        EnsureOpen(ret);
        return new PreTrialReturnObjectionResolved(ret.Id, ret.CaseNumber, objectionId, outcome!.Value, reason!.Trim(), actor, now);
    }

    /// <summary>The notice ending at <paramref name="endsAt"/> is over, if it is still the current one.</summary>
    public static PreTrialReturnNoticeClosed? CloseNotice(PreTrialReturn ret, DateTimeOffset endsAt, DateTimeOffset now) =>
        ret.Status == PreTrialReturnStatus.InNotice && ret.Decision?.NoticeEndsAt is { } current && current <= endsAt
            ? new PreTrialReturnNoticeClosed(ret.Id, ret.CaseNumber, current, ret.Objections.Count, now)
            : null;

    public static PreTrialReturnApproved Approve(PreTrialReturn ret, string? level, string? approvalReference, Actor actor, DateTimeOffset now)
    {
        var v = new Validator().Required("approvalReference", approvalReference, 128);
        if (string.IsNullOrWhiteSpace(level)) v.Add("approverLevel", $"is required ({string.Join(", ", ApproverLevels)}).");
        else if (!ApproverLevels.Contains(level.Trim().ToLowerInvariant()))
            v.Add("approverLevel", $"a pre-trial return is approved at prefecture-city level or above ({string.Join(", ", ApproverLevels)}).");
        v.ThrowIfInvalid();

        var decision = ret.Decision;
        switch (ret.Status)
        {
            case PreTrialReturnStatus.Decided or PreTrialReturnStatus.NoticeClosed when decision is not null:
                break;
            case PreTrialReturnStatus.InNotice:
                throw new DomainRuleViolationException("pre-trial-return.notice-running",
                    $"The public notice runs until {decision!.NoticeEndsAt:u}; the decision is approved after it.");
            case PreTrialReturnStatus.Applied or PreTrialReturnStatus.TableBuilt:
                throw new DomainRuleViolationException("pre-trial-return.not-decided", "There is no decision to approve yet.");
            default:
                throw new DomainRuleViolationException("pre-trial-return.already-approved", $"The return is already {ret.Status}.");
        }
        if (ret.Objections.FirstOrDefault(o => o.Outcome is null) is { } open)
            throw new DomainRuleViolationException("pre-trial-return.objection-open", $"Objection {open.ObjectionId} is not resolved yet.");
        if (ret.Objections.Any(o => o.Outcome == ObjectionOutcome.Upheld))
            throw new DomainRuleViolationException("pre-trial-return.objection-upheld",
                "An objection was upheld: make the decision again (a new notice runs) before it is approved.");
        if (decision.DecidedBy.Subject == actor.Subject)
            throw new DomainRuleViolationException("pre-trial-return.same-officer", "The officer who decided cannot approve the same decision.");
        return new PreTrialReturnApproved(ret.Id, ret.CaseNumber, ret.FreezeId, decision.Total, level!.Trim().ToLowerInvariant(),
            approvalReference!.Trim(), decision.DecisionReference, actor, now);
    }

    /// <summary>The freeze paid the money out: the bank is instructed and owes a receipt in 3 working days.</summary>
    public static PreTrialReturnInstructed? Instruct(PreTrialReturn ret, Money returned, Money remaining, DateTimeOffset now) =>
        ret.Status == PreTrialReturnStatus.Approved && ret.Decision is { } decision
            ? new PreTrialReturnInstructed(ret.Id, ret.CaseNumber, ret.FreezeId, returned, remaining, decision.Allocations, now,
                AddWorkingDays(now, ReceiptWorkingDays))
            : null;

    public static PreTrialReturnExecutionRefused? Refuse(PreTrialReturn ret, string rule, string detail, DateTimeOffset now) =>
        ret.Status == PreTrialReturnStatus.Approved ? new PreTrialReturnExecutionRefused(ret.Id, ret.CaseNumber, rule, detail, now) : null;

    /// <summary>Escalate once, only while the receipt due at <paramref name="dueAt"/> is still missing.</summary>
    public static PreTrialReturnReceiptOverdue? Escalate(PreTrialReturn ret, DateTimeOffset dueAt, DateTimeOffset now) =>
        ret is { Status: PreTrialReturnStatus.Instructed, EscalatedAt: null, Instruction: { } instruction } && instruction.ReceiptDueAt <= dueAt
            ? new PreTrialReturnReceiptOverdue(ret.Id, ret.CaseNumber, instruction.ReceiptDueAt, now)
            : null;

    public static PreTrialReturnReceiptRecorded? RecordReceipt(PreTrialReturn ret, string? bankReference, DateTimeOffset? executedAt, Actor actor,
        DateTimeOffset now)
    {
        var v = new Validator().Required("bankReference", bankReference, 128);
        if (executedAt is { } at)
        {
            if (at > now + TimeSpan.FromMinutes(5)) v.Add("executedAt", "must not be in the future.");
            if (ret.Instruction is { } i && at < i.InstructedAt - TimeSpan.FromMinutes(5)) v.Add("executedAt", "must not be before the instruction.");
        }
        v.ThrowIfInvalid();
        var reference = bankReference!.Trim();
        switch (ret.Status)
        {
            case PreTrialReturnStatus.Completed when ret.Receipt!.BankReference == reference:
                return null;
            case PreTrialReturnStatus.Completed:
                throw new DomainRuleViolationException("pre-trial-return.receipt-recorded",
                    $"The bank's receipt was already recorded with reference {ret.Receipt!.BankReference}.");
            case PreTrialReturnStatus.Instructed:
                var instruction = ret.Instruction!;
                return new PreTrialReturnReceiptRecorded(ret.Id, ret.CaseNumber, reference, executedAt ?? now, now > instruction.ReceiptDueAt, actor, now);
            default:
                throw new DomainRuleViolationException("pre-trial-return.not-instructed", $"The return is {ret.Status}; the bank has not been instructed.");
        }
    }

    /// <summary>
    /// <paramref name="days"/> working days (Monday to Friday on the banks' calendar, China Standard Time) after
    /// <paramref name="start"/>, at the same time of day: instructed on a Friday, due on the Wednesday. Public holidays are
    /// not known to the system and count as working days.
    /// </summary>
    public static DateTimeOffset AddWorkingDays(DateTimeOffset start, int days)
    {
        var local = start.ToOffset(BankCalendarOffset);
        for (var added = 0; added < days;)
        {
            local = local.AddDays(1);
            if (local.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) added++;
        }
        return local.ToOffset(TimeSpan.Zero);
    }

    private static void EnsureOpen(PreTrialReturn ret)
    {
        if (!ret.IsOpen)
            throw new DomainRuleViolationException("pre-trial-return.already-approved", $"The return is {ret.Status}; its table and decision are final.");
    }
}
