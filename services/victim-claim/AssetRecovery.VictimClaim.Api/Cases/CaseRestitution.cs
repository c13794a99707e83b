using AssetRecovery.Contracts.Restitution;
using Marten;

namespace AssetRecovery.VictimClaim.Cases;

/// <summary>
/// What restitution ordered and returned before trial per claim of a case, from the restitution service's relayed
/// events: the latest version of the court order, and pre-trial returns of frozen funds once the bank's receipt is in.
/// Confirmed payments of distribution rounds are <see cref="ClaimPayment"/> documents of their own.
/// </summary>
public sealed class CaseRestitution
{
    public string Id { get; set; } = "";
    public int OrderVersion { get; set; }
    public string Currency { get; set; } = "";
    public Dictionary<Guid, decimal> OrderedByClaim { get; set; } = [];
    /// <summary>
    /// Confirmed payments as documents written before <see cref="ClaimPayment"/> kept them: still counted (by payment id,
    /// with those documents), never added to.
    /// </summary>
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

    /// <summary>
    /// The case's restitution as the figures of <paramref name="claimIds"/> need it: the order's amounts of those claims
    /// only (filtered in PostgreSQL), the rest whole. A case of 100,000 victims ordered megabytes of amounts, and each
    /// confirmed payment and each claim view needs one or two of them. Read-only: storing it would drop the others.
    /// </summary>
    public static async Task<CaseRestitution?> ForClaimsAsync(IQuerySession session, string caseNumber, IReadOnlyCollection<Guid> claimIds,
        CancellationToken ct)
    {
        var table = session.DocumentStore.Options.FindOrResolveDocumentType(typeof(CaseRestitution)).TableName.QualifiedName;
        var json = (await session.AdvancedSql.QueryAsync<string>(
            "select (d.data - 'OrderedByClaim' || jsonb_build_object('OrderedByClaim', coalesce((select jsonb_object_agg(k, d.data -> 'OrderedByClaim' -> k) " +
            $"from unnest(?::text[]) k where d.data -> 'OrderedByClaim' -> k is not null), '{{}}'::jsonb)))::text from {table} d where d.id = ?",
            ct, claimIds.Select(id => id.ToString()).ToArray(), caseNumber)).SingleOrDefault();
        if (json is null) return null;
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        return session.DocumentStore.Options.Serializer().FromJson<CaseRestitution>(stream);
    }

    public decimal Ordered(Guid claimId, string currency) => currency == Currency ? OrderedByClaim.GetValueOrDefault(claimId) : 0m;

    /// <summary>The payments of pre-trial returns whose bank receipt is in.</summary>
    public IEnumerable<ConfirmedPayment> ReturnedBeforeTrial() => PreTrialReturns.Values.Where(r => r.Receipted).SelectMany(r => r.Allocations);

    /// <summary>The claims whose figures <paramref name="change"/> (just applied) can change; null: any claim of the case.</summary>
    public IReadOnlyCollection<Guid>? ClaimsChangedBy(object change) => change switch
    {
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

/// <summary>
/// A distribution payment to a victim's claim that the bank confirmed: a document per payment (its id), so that paying
/// out a case of 100,000 victims does not rewrite one case document at each confirmation.
/// </summary>
public sealed class ClaimPayment
{
    public Guid Id { get; set; }
    public string CaseNumber { get; set; } = "";
    public Guid ClaimId { get; set; }
    public decimal Amount { get; set; }
    public string Currency { get; set; } = "";
    public DateTimeOffset ConfirmedAt { get; set; }

    /// <summary>The case's confirmed payments, only those of <paramref name="claims"/> when given.</summary>
    public static async Task<IReadOnlyList<ClaimPayment>> OfCaseAsync(IQuerySession session, string caseNumber, IReadOnlyCollection<Guid>? claims,
        CancellationToken ct)
    {
        var query = session.Query<ClaimPayment>().Where(p => p.CaseNumber == caseNumber);
        if (claims is not null)
        {
            var ids = claims.ToArray();
            query = query.Where(p => p.ClaimId.IsOneOf(ids));
        }
        return await query.ToListAsync(ct);
    }
}
