using AssetRecovery.Contracts.Restitution;

namespace AssetRecovery.VictimClaim.Cases;

/// <summary>
/// What restitution ordered and paid per claim of a case, from the restitution service's relayed events: the latest
/// version of the court order, every confirmed payment (by payment id, so a repeat counts once), and pre-trial returns
/// of frozen funds once the bank's receipt is in.
/// </summary>
public sealed class CaseRestitution
{
    public string Id { get; set; } = "";
    public int OrderVersion { get; set; }
    public string Currency { get; set; } = "";
    public Dictionary<Guid, decimal> OrderedByClaim { get; set; } = [];
    public Dictionary<Guid, ConfirmedPayment> Payments { get; set; } = [];
    /// <summary>Pre-trial returns of frozen funds: what each pays to whom, and whether the bank's receipt is in.</summary>
    public Dictionary<Guid, PreTrialReturnPayments> PreTrialReturns { get; set; } = [];
    public DateTimeOffset UpdatedAt { get; set; }

    public void Apply(object change)
    {
        switch (change)
        {
            case RestitutionOrderRecorded e: Order(1, e.Terms, e.RecordedAt); break;
            case RestitutionOrderAmended e: Order(e.OrderVersion, e.Terms, e.AmendedAt); break;
            case PaymentConfirmed { ClaimId: { } claimId } e:
                Payments[e.PaymentId] = new ConfirmedPayment(claimId, e.Amount.Amount, e.Amount.Currency);
                if (e.ConfirmedAt > UpdatedAt) UpdatedAt = e.ConfirmedAt;
                break;
            case PaymentConfirmed: break; // paid to another creditor, not a victim
            case PreTrialReturnInstructed e:
                Return(e.ReturnId).Allocations = e.Payments.Select(p => new ConfirmedPayment(p.ClaimId, p.Amount.Amount, p.Amount.Currency)).ToList();
                break;
            case PreTrialReturnReceiptRecorded e:
                Return(e.ReturnId).Receipted = true;
                if (e.RecordedAt > UpdatedAt) UpdatedAt = e.RecordedAt;
                break;
            default: throw new ArgumentException($"{change.GetType().Name} does not change restitution figures.", nameof(change));
        }
    }

    public decimal Ordered(Guid claimId, string currency) => currency == Currency ? OrderedByClaim.GetValueOrDefault(claimId) : 0m;

    /// <summary>Per claim, in one pass: confirmed payments of distribution rounds, and pre-trial returns whose bank receipt is in.</summary>
    public Dictionary<Guid, decimal> PaidByClaim(string currency)
    {
        var paid = new Dictionary<Guid, decimal>();
        foreach (var p in Payments.Values.Concat(PreTrialReturns.Values.Where(r => r.Receipted).SelectMany(r => r.Allocations)))
            if (p.Currency == currency) paid[p.ClaimId] = paid.GetValueOrDefault(p.ClaimId) + p.Amount;
        return paid;
    }

    /// <summary>The claims whose figures <paramref name="change"/> (just applied) can change; null: any claim of the case.</summary>
    public IReadOnlyCollection<Guid>? ClaimsChangedBy(object change) => change switch
    {
        PaymentConfirmed e => e.ClaimId is { } claimId ? [claimId] : [],
        PreTrialReturnInstructed e => e.Payments.Select(p => p.ClaimId).Distinct().ToList(),
        PreTrialReturnReceiptRecorded e => Return(e.ReturnId).Allocations.Select(p => p.ClaimId).Distinct().ToList(),
        _ => null,
    };

    private PreTrialReturnPayments Return(Guid returnId)
    {
        if (!PreTrialReturns.TryGetValue(returnId, out var payments)) PreTrialReturns[returnId] = payments = new PreTrialReturnPayments();
        return payments;
    }

    /// <summary>A later version replaces an earlier one; an older version arriving late changes nothing.</summary>
    private void Order(int version, RestitutionOrderTerms terms, DateTimeOffset at)
    {
        if (version <= OrderVersion) return;
        OrderVersion = version;
        Currency = terms.Currency;
        OrderedByClaim = terms.Victims.ToDictionary(v => v.ClaimId, v => v.AdjudicatedLoss.Amount);
        if (at > UpdatedAt) UpdatedAt = at;
    }
}

public sealed record ConfirmedPayment(Guid ClaimId, decimal Amount, string Currency);

/// <summary>A pre-trial return's payments; the instruction and the receipt may arrive in either order.</summary>
public sealed class PreTrialReturnPayments
{
    public List<ConfirmedPayment> Allocations { get; set; } = [];
    public bool Receipted { get; set; }
}
