using AssetRecovery.BuildingBlocks;
using AssetRecovery.Clients.Restitution;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Restitution;
using AssetRecovery.Restitution.Claimants;

namespace AssetRecovery.Restitution.Orders;

/// <summary>Checks a court order as sent and turns it into its terms; the victims must be claims this service knows.</summary>
public static class OrderDecisions
{
    public const int MaxVictims = 100_000;
    public const int MaxCreditors = 1_000;

    public static RestitutionOrderTerms Terms(RecordRestitutionOrderRequest r, DateOnly today)
    {
        var v = new Validator()
            .Required("court", r.Court, 200)
            .Required("judgmentNumber", r.JudgmentNumber, 100)
            .Currency("currency", r.Currency);
        if (r.JudgmentDate is null) v.Add("judgmentDate", "is required.");
        else if (r.JudgmentDate > today) v.Add("judgmentDate", "must not be in the future.");
        if (r.Policy is null || !Enum.IsDefined(r.Policy.Value)) v.Add("policy", $"is required ({string.Join(", ", Enum.GetNames<DistributionPolicy>())}).");
        if (r.Defendants is not { Count: > 0 and <= 100 }) v.Add("defendants", "name 1 to 100 defendants.");
        else for (var i = 0; i < r.Defendants.Count; i++) v.Required($"defendants[{i}]", r.Defendants[i], 200);
        if (r.Victims is not { Count: > 0 and <= MaxVictims }) v.Add("victims", $"name 1 to {MaxVictims} victims.");
        else
        {
            for (var i = 0; i < r.Victims.Count; i++)
            {
                var victim = r.Victims[i];
                if (victim is null) { v.Add($"victims[{i}]", "is required."); continue; }
                if (victim.ClaimId is null || victim.ClaimId == Guid.Empty) v.Add($"victims[{i}].claimId", "is required: the victim's claim.");
                v.Required($"victims[{i}].name", victim.Name, 200).PositiveAmount($"victims[{i}].adjudicatedLoss", victim.AdjudicatedLoss, r.Currency);
                if (victim.RecoveredElsewhere is { } elsewhere && elsewhere != 0m)
                    v.PositiveAmount($"victims[{i}].recoveredElsewhere", elsewhere, r.Currency);
            }
            if (r.Victims.Where(x => x?.ClaimId is not null).GroupBy(x => x.ClaimId).Any(g => g.Count() > 1))
                v.Add("victims", "a claim may be named once.");
        }
        var creditors = r.Creditors ?? [];
        if (creditors.Count > MaxCreditors) v.Add("creditors", $"at most {MaxCreditors}.");
        else
        {
            for (var i = 0; i < creditors.Count; i++)
            {
                var c = creditors[i];
                if (c is null) { v.Add($"creditors[{i}]", "is required."); continue; }
                v.Required($"creditors[{i}].creditorId", c.CreditorId, 64).Required($"creditors[{i}].name", c.Name, 200)
                    .PositiveAmount($"creditors[{i}].amount", c.Amount, r.Currency)
                    .Required($"creditors[{i}].bankName", c.BankName, 200).Required($"creditors[{i}].accountNumber", c.AccountNumber, 64);
                if (c.Class is null or PriorityClass.VictimLosses || !Enum.IsDefined(c.Class.Value))
                    v.Add($"creditors[{i}].class", "is required: MedicalCosts, OtherCivilDebts, Fines or Confiscation (victims are listed under victims).");
            }
            if (creditors.Where(c => c?.CreditorId is not null).GroupBy(c => c.CreditorId!.Trim()).Any(g => g.Count() > 1))
                v.Add("creditors", "a creditor id may be used once.");
        }
        v.ThrowIfInvalid();

        var currency = r.Currency!;
        return new RestitutionOrderTerms(r.Court!.Trim(), r.JudgmentNumber!.Trim(), r.JudgmentDate!.Value, r.Defendants!.Select(d => d.Trim()).ToList(),
            currency, r.Policy!.Value,
            r.Victims!.Select(x => new OrderedVictim(x.ClaimId!.Value, x.Name!.Trim(), new Money(x.AdjudicatedLoss!.Value, currency),
                new Money(x.RecoveredElsewhere ?? 0m, currency))).ToList(),
            creditors.Select(c => new OrderedCreditor(c.CreditorId!.Trim(), c.Name!.Trim(), c.Class!.Value, new Money(c.Amount!.Value, currency),
                c.BankName!.Trim(), c.AccountNumber!.Trim())).ToList());
    }

    /// <summary>
    /// The victims of an order's version as the events that list them, <paramref name="perEvent"/> to an event, in the
    /// order's sequence.
    /// </summary>
    public static IEnumerable<RestitutionOrderVictimsListed> VictimLists(Guid orderId, string caseNumber, int orderVersion,
        IReadOnlyList<OrderedVictim> victims, int perEvent) =>
        victims.Chunk(perEvent).Select((part, index) => new RestitutionOrderVictimsListed(orderId, caseNumber, orderVersion, index * perEvent, part));

    /// <summary>Every victim must be a claim this service has heard of, not tied to another case (422 otherwise).</summary>
    /// <param name="claimCases">The case each known claim is tied to (<see cref="Claimant.CaseNumbersAsync"/>).</param>
    public static void EnsureClaimsBelong(string caseNumber, RestitutionOrderTerms terms, IReadOnlyDictionary<Guid, string?> claimCases)
    {
        var unknown = terms.Victims.Where(x => !claimCases.ContainsKey(x.ClaimId)).Select(x => x.ClaimId).ToList();
        if (unknown.Count > 0)
            throw new UnprocessableRequestException("order.claim-unknown",
                $"No claim {string.Join(", ", unknown.Take(10))} has been filed (or it has not reached this service yet).");
        var elsewhere = terms.Victims.Where(x => claimCases[x.ClaimId] is { } c && c != caseNumber).Select(x => x.ClaimId).ToList();
        if (elsewhere.Count > 0)
            throw new UnprocessableRequestException("order.claim-other-case",
                $"Claim {string.Join(", ", elsewhere.Take(10))} belongs to another case.");
    }
}

public sealed class OrderOptions
{
    public const string Section = "Orders";

    /// <summary>
    /// Victims listed in one event (and message): an order of 100,000 victims in one event was 19 MB that the store,
    /// the broker and every reader took whole (docs/benchmarks, finding 22). The case ledger holds what a batch of its
    /// events touches (<see cref="Ledger.CaseLedgerProjection.EventsPerBatch"/>): 200 keeps that to 5,000 victims (finding 26).
    /// </summary>
    public int VictimsPerEvent { get; set; } = 200;
}
