using AssetRecovery.Contracts.Restitution;

namespace AssetRecovery.VictimClaim.Cases;

/// <summary>
/// What restitution ordered and paid per claim of a case, from the restitution service's relayed events: the latest
/// version of the court order, and every confirmed payment (by payment id, so a repeat counts once).
/// </summary>
public sealed class CaseRestitution
{
    public string Id { get; set; } = "";
    public int OrderVersion { get; set; }
    public string Currency { get; set; } = "";
    public Dictionary<Guid, decimal> OrderedByClaim { get; set; } = [];
    public Dictionary<Guid, ConfirmedPayment> Payments { get; set; } = [];
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
            default: throw new ArgumentException($"{change.GetType().Name} does not change restitution figures.", nameof(change));
        }
    }

    public decimal Ordered(Guid claimId, string currency) => currency == Currency ? OrderedByClaim.GetValueOrDefault(claimId) : 0m;

    public decimal Paid(Guid claimId, string currency) =>
        Payments.Values.Where(p => p.ClaimId == claimId && p.Currency == currency).Sum(p => p.Amount);

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
