using System.Net.Mail;
using AssetRecovery.BuildingBlocks;
using AssetRecovery.Clients.VictimClaim;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.VictimClaim;

namespace AssetRecovery.VictimClaim.Domain;

/// <summary>What an investigator's approval asks for, checked.</summary>
public sealed record ApprovalInput(decimal? VerifiedAmount, string? Reason, string? CaseNumber, string? TraceVictimId);

/// <summary>
/// The claim rules as pure functions: each checks its input (400 on bad input) and the claim's state (409 with a rule code),
/// and answers with the events to append, or none when the command repeats what is already so.
/// </summary>
public static class ClaimDecisions
{
    public const int MaxPayments = 200;
    /// <summary>Clock skew allowed for a payment time the victim enters as "now".</summary>
    private static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    public static ClaimFiled File(Guid claimId, string subject, FileClaimRequest request, Func<string, ProtectedIdNumber> protect,
        Actor actor, DateTimeOffset now)
    {
        var v = new Validator()
            .Required("fullName", request.FullName, 200)
            .Required("idNumber", request.IdNumber, 40);
        var idNumber = IdNumbers.Normalize(request.IdNumber);
        if (!string.IsNullOrWhiteSpace(request.IdNumber) && !IdNumbers.IsWellFormed(idNumber))
            v.Add("idNumber", "must be 6 to 32 letters and digits (spaces and hyphens are ignored).");
        ValidateContact(v, request.Email, request.Phone);
        var payments = ValidatePayments(v, "payments", request.Payments, currency: null, now, required: true);
        if (request.ReturnAccount is null) v.Add("returnAccount", "is required.");
        else
            v.Required("returnAccount.bankName", request.ReturnAccount.BankName, 200)
                .Required("returnAccount.accountNumber", request.ReturnAccount.AccountNumber, 64)
                .Required("returnAccount.accountHolderName", request.ReturnAccount.AccountHolderName, 200);
        if (request.CaseNumber is not null) v.Required("caseNumber", request.CaseNumber, 64);
        if (request.Description is not null) v.Required("description", request.Description, 4000);
        v.ThrowIfInvalid();

        var currency = payments[0].Amount.Currency;
        return new ClaimFiled(claimId, ClaimReferences.For(claimId), subject, request.FullName!.Trim(), protect(idNumber),
            new ClaimContact(Blank(request.Email), Blank(request.Phone)), payments,
            new Money(payments.Sum(p => p.Amount.Amount), currency),
            new ReturnAccount(request.ReturnAccount!.BankName!.Trim(), request.ReturnAccount.AccountNumber!.Trim(),
                request.ReturnAccount.AccountHolderName!.Trim()),
            Blank(request.CaseNumber), Blank(request.Description), actor, now);
    }

    /// <summary>Links (or re-links) the claim to a case; the same link again changes nothing.</summary>
    public static ClaimLinkedToCase? Link(Claim claim, string? caseNumber, string? traceVictimId, Actor actor, DateTimeOffset now)
    {
        var v = new Validator().Required("caseNumber", caseNumber, 64);
        if (traceVictimId is not null) v.Required("traceVictimId", traceVictimId, 64);
        v.ThrowIfInvalid();
        var (caseTrimmed, victimTrimmed) = (caseNumber!.Trim(), Blank(traceVictimId));
        if (claim.CaseConfirmed && claim.CaseNumber == caseTrimmed && claim.TraceVictimId == victimTrimmed) return null;
        return new ClaimLinkedToCase(claim.Id, caseTrimmed, victimTrimmed, actor, now, claim.ClaimedLoss);
    }

    public static ClaimInformationRequested RequestInformation(Claim claim, string? question, Actor actor, DateTimeOffset now)
    {
        new Validator().Required("question", question, 2000).ThrowIfInvalid();
        if (claim.Status == ClaimStatus.InformationRequested)
            throw new DomainRuleViolationException("claim.question-open", "The victim has not yet answered the open question.");
        if (claim.Status is ClaimStatus.Approved or ClaimStatus.Denied)
            throw new DomainRuleViolationException("claim.decided", $"The claim is {claim.Status}; there is nothing left to ask.");
        return new ClaimInformationRequested(claim.Id, question!.Trim(), actor, now);
    }

    public static ClaimInformationSupplied SupplyInformation(Claim claim, SupplyClaimInformationRequest request, Actor actor, DateTimeOffset now)
    {
        var v = new Validator().Required("answer", request.Answer, 4000);
        var added = request.AddedPayments is null
            ? []
            : ValidatePayments(v, "addedPayments", request.AddedPayments, claim.Currency, now, required: false);
        if (claim.Payments.Count + added.Count > MaxPayments) v.Add("addedPayments", $"a claim holds at most {MaxPayments} payments.");
        v.ThrowIfInvalid();
        if (claim.Status != ClaimStatus.InformationRequested)
            throw new DomainRuleViolationException("claim.no-question", "No question is open on this claim.");
        var claimed = new Money(claim.ClaimedLoss.Amount + added.Sum(p => p.Amount.Amount), claim.Currency);
        return new ClaimInformationSupplied(claim.Id, request.Answer!.Trim(), added, claimed, actor, now);
    }

    /// <summary>
    /// Approves with a verified loss no larger than the claimed loss. The case comes from the request or the claim; naming
    /// another case or trace id links the claim anew. Approving again with the same figures changes nothing.
    /// </summary>
    public static IReadOnlyList<IDomainEvent> Approve(Claim claim, ApprovalInput input, Actor actor, DateTimeOffset now)
    {
        var v = new Validator().PositiveAmount("verifiedAmount", input.VerifiedAmount, claim.Currency).Required("reason", input.Reason, 2000);
        if (input.CaseNumber is not null) v.Required("caseNumber", input.CaseNumber, 64);
        if (input.TraceVictimId is not null) v.Required("traceVictimId", input.TraceVictimId, 64);
        var caseNumber = Blank(input.CaseNumber) ?? claim.CaseNumber;
        if (caseNumber is null) v.Add("caseNumber", "is required: the claim names no case yet.");
        v.ThrowIfInvalid();

        switch (claim.Status)
        {
            case ClaimStatus.InformationRequested:
                throw new DomainRuleViolationException("claim.question-open", "The victim has not yet answered the open question.");
            case ClaimStatus.Denied:
                throw new DomainRuleViolationException("claim.denied", "The claim was denied; only a reconsideration reopens it.");
        }
        if (input.VerifiedAmount > claim.ClaimedLoss.Amount)
            throw new DomainRuleViolationException("claim.verified-above-claimed",
                $"The verified loss ({input.VerifiedAmount} {claim.Currency}) cannot exceed the claimed loss ({claim.ClaimedLoss.Amount} {claim.Currency}).");

        var events = new List<IDomainEvent>();
        var traceVictimId = Blank(input.TraceVictimId) ?? (caseNumber == claim.CaseNumber ? claim.TraceVictimId : null);
        if (Link(claim, caseNumber, traceVictimId, actor, now) is { } link) events.Add(link);
        var verified = new Money(input.VerifiedAmount!.Value, claim.Currency);
        if (events.Count == 0 && claim.Status == ClaimStatus.Approved && claim.VerifiedLoss == verified) return events;
        events.Add(new ClaimApproved(claim.Id, caseNumber!, verified, input.Reason!.Trim(), actor, now));
        return events;
    }

    public static ClaimDenied Deny(Claim claim, string? reason, Actor actor, DateTimeOffset now)
    {
        new Validator().Required("reason", reason, 2000).ThrowIfInvalid();
        if (claim.Status == ClaimStatus.Denied)
            throw new DomainRuleViolationException("claim.already-denied", "The claim is already denied.");
        // An approval may have reached the case's order and payments: it is not silently turned into a denial.
        if (claim.Status == ClaimStatus.Approved)
            throw new DomainRuleViolationException("claim.approved", "The claim is approved; an approved claim is not denied.");
        return new ClaimDenied(claim.Id, reason!.Trim(), actor, now);
    }

    /// <summary>The victim names another return account; the same account again changes nothing.</summary>
    public static ClaimReturnAccountChanged? ChangeReturnAccount(Claim claim, ReturnAccountInput? input, Actor actor, DateTimeOffset now)
    {
        var v = new Validator();
        if (input is null) v.Add("returnAccount", "is required.");
        else
            v.Required("bankName", input.BankName, 200).Required("accountNumber", input.AccountNumber, 64)
                .Required("accountHolderName", input.AccountHolderName, 200);
        v.ThrowIfInvalid();
        var account = new ReturnAccount(input!.BankName!.Trim(), input.AccountNumber!.Trim(), input.AccountHolderName!.Trim());
        return account == claim.ReturnAccount ? null : new ClaimReturnAccountChanged(claim.Id, account, actor, now);
    }

    public static ClaimReconsiderationRequested RequestReconsideration(Claim claim, string? grounds, Actor actor, DateTimeOffset now)
    {
        new Validator().Required("grounds", grounds, 4000).ThrowIfInvalid();
        if (claim.Status != ClaimStatus.Denied)
            throw new DomainRuleViolationException("claim.not-denied", "Only a denied claim can be reconsidered.");
        if (claim.ReconsiderationUsed)
            throw new DomainRuleViolationException("claim.reconsideration-used", "A claim can be reconsidered once; it already was.");
        return new ClaimReconsiderationRequested(claim.Id, grounds!.Trim(), actor, now);
    }

    private static void ValidateContact(Validator v, string? email, string? phone)
    {
        if (string.IsNullOrWhiteSpace(email) && string.IsNullOrWhiteSpace(phone))
            v.Add("contact", "an email address or a phone number is required.");
        if (!string.IsNullOrWhiteSpace(email))
        {
            v.Required("email", email, 254);
            if (!MailAddress.TryCreate(email.Trim(), out var parsed) || parsed.Address != email.Trim() || !parsed.Host.Contains('.'))
                v.Add("email", "is not an email address.");
        }
        if (!string.IsNullOrWhiteSpace(phone) && !System.Text.RegularExpressions.Regex.IsMatch(phone.Trim(), @"^\+?[0-9][0-9 \-]{5,30}$"))
            v.Add("phone", "must be 6 to 31 digits, optionally with a leading + and spaces or hyphens.");
    }

    /// <summary>Each payment in full; all in one currency (the claim's, when it has one).</summary>
    private static List<LostPayment> ValidatePayments(Validator v, string field, IReadOnlyList<LostPaymentInput>? inputs, string? currency,
        DateTimeOffset now, bool required)
    {
        var payments = new List<LostPayment>();
        if (inputs is null || inputs.Count == 0)
        {
            if (required) v.Add(field, "at least one lost payment is required.");
            return payments;
        }
        if (inputs.Count > MaxPayments) { v.Add(field, $"at most {MaxPayments} payments."); return payments; }
        currency ??= inputs[0]?.Currency;
        for (var i = 0; i < inputs.Count; i++)
        {
            var p = inputs[i];
            var at = $"{field}[{i}]";
            if (p is null) { v.Add(at, "is required."); continue; }
            var errorsBefore = v.ErrorCount;
            v.Currency($"{at}.currency", p.Currency)
                .PositiveAmount($"{at}.amount", p.Amount, p.Currency)
                .Required($"{at}.fromAccount", p.FromAccount, 64)
                .Required($"{at}.toAccount", p.ToAccount, 64);
            if (p.Reference is not null) v.Required($"{at}.reference", p.Reference, 128);
            if (p.PaidAt is null) v.Add($"{at}.paidAt", "is required.");
            else if (p.PaidAt > now + FutureTolerance) v.Add($"{at}.paidAt", "must not be in the future.");
            if (Currencies.IsKnown(p.Currency) && currency is not null && p.Currency != currency)
                v.Add($"{at}.currency", $"must be {currency}, like the claim's other payments (file one claim per currency).");
            if (v.ErrorCount != errorsBefore) continue;
            payments.Add(new LostPayment(p.PaidAt!.Value.ToUniversalTime(), new Money(p.Amount!.Value, p.Currency!), p.FromAccount!.Trim(),
                p.ToAccount!.Trim(), Blank(p.Reference)));
        }
        if (payments.Count == inputs.Count && payments.Sum(p => p.Amount.Amount) > Validator.MaxAmount)
            v.Add(field, $"the payments must not add up to more than {Validator.MaxAmount}.");
        return payments;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>The reference printed on the victim's receipt: "VC-" and ten characters of the claim id in Crockford base32.</summary>
public static class ClaimReferences
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string For(Guid claimId)
    {
        // The last 8 bytes of a version 7 id are random: 50 of their bits make the reference.
        var bytes = claimId.ToByteArray(bigEndian: true);
        var bits = BitConverter.ToUInt64(bytes.AsSpan(8));
        var chars = new char[10];
        for (var i = 0; i < chars.Length; i++, bits >>= 5) chars[i] = Alphabet[(int)(bits & 31)];
        return "VC-" + new string(chars);
    }
}
