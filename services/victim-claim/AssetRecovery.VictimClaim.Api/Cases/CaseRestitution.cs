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
    /// A version whose victims are still arriving (<see cref="OrderVictimsPart"/>): it replaces the current one once
    /// all of them are in. 0: none.
    /// </summary>
    public int PendingVersion { get; set; }
    /// <summary>How many victims the pending version lists, once its recorded or amended event is in (null before).</summary>
    public int? PendingVictims { get; set; }
    public string PendingCurrency { get; set; } = "";
    public DateTimeOffset PendingAt { get; set; }
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
            case RestitutionOrderRecorded e: Order(1, e.Terms, e.VictimsListedApart, e.RecordedAt); break;
            case RestitutionOrderAmended e: Order(e.OrderVersion, e.Terms, e.VictimsListedApart, e.AmendedAt); break;
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

    /// <summary>
    /// A later version replaces an earlier one; an older version arriving late changes nothing. A version whose victims
    /// are listed apart waits for them (<see cref="OrderVictimsPart.AllInAsync"/>).
    /// </summary>
    private void Order(int version, RestitutionOrderTerms terms, int victimsListedApart, DateTimeOffset at)
    {
        if (version <= OrderVersion || version < PendingVersion) return;
        if (victimsListedApart == 0)
        {
            Replace(version, terms.Currency, terms.Victims.ToDictionary(v => v.ClaimId, v => v.AdjudicatedLoss.Amount), at);
            return;
        }
        (PendingVersion, PendingVictims, PendingCurrency, PendingAt) = (version, victimsListedApart, terms.Currency, at);
    }

    /// <summary>Whether a version is waiting only for victims listed apart.</summary>
    public bool AwaitsVictims => PendingVersion > OrderVersion && PendingVictims is not null;

    /// <summary>Takes the pending version, all its victims in (<paramref name="ordered"/>).</summary>
    public void TakePending(Dictionary<Guid, decimal> ordered) => Replace(PendingVersion, PendingCurrency, ordered, PendingAt);

    private void Replace(int version, string currency, Dictionary<Guid, decimal> ordered, DateTimeOffset at)
    {
        (OrderVersion, Currency, OrderedByClaim) = (version, currency, ordered);
        if (PendingVersion <= version) (PendingVersion, PendingVictims, PendingCurrency, PendingAt) = (0, null, "", default);
        if (at > UpdatedAt) UpdatedAt = at;
    }
}

/// <summary>
/// Victims of an order version that is still arriving, as one <see cref="RestitutionOrderVictimsListed"/> listed them
/// (the claim's adjudicated loss); kept until the version is whole and taken into <see cref="CaseRestitution"/>.
/// </summary>
public sealed class OrderVictimsPart
{
    public string Id { get; set; } = "";
    public string CaseNumber { get; set; } = "";
    public int OrderVersion { get; set; }
    public int Count { get; set; }
    public Dictionary<Guid, decimal> OrderedByClaim { get; set; } = [];

    public static OrderVictimsPart Of(RestitutionOrderVictimsListed e) => new()
    {
        Id = $"{e.CaseNumber}/{e.OrderVersion}/{e.FirstOrdinal}", CaseNumber = e.CaseNumber, OrderVersion = e.OrderVersion, Count = e.Victims.Count,
        OrderedByClaim = e.Victims.ToDictionary(v => v.ClaimId, v => v.AdjudicatedLoss.Amount),
    };

    /// <summary>
    /// Whether all the victims of <paramref name="restitution"/>'s pending version are in: those stored, and
    /// <paramref name="arrived"/> (a part of that version not stored yet). Counted in PostgreSQL; nothing is read whole.
    /// </summary>
    public static async Task<bool> AllInAsync(IQuerySession session, CaseRestitution restitution, OrderVictimsPart? arrived, CancellationToken ct)
    {
        if (!restitution.AwaitsVictims) return false;
        var counted = await Stored(session, restitution, arrived).SumAsync(p => p.Count, ct)
                      + (arrived?.OrderVersion == restitution.PendingVersion ? arrived.Count : 0);
        return counted >= restitution.PendingVictims;
    }

    /// <summary>
    /// Takes the pending version, all its victims in (<see cref="AllInAsync"/>), into <paramref name="restitution"/>
    /// (the document the session stores): the parts stored and <paramref name="arrived"/>. The parts are deleted.
    /// </summary>
    public static async Task TakeAsync(IDocumentSession session, CaseRestitution restitution, OrderVictimsPart? arrived, CancellationToken ct)
    {
        var (caseNumber, version) = (restitution.Id, restitution.PendingVersion);
        var ordered = new Dictionary<Guid, decimal>(restitution.PendingVictims!.Value);
        foreach (var part in (await Stored(session, restitution, arrived).ToListAsync(ct)).Append(arrived).OfType<OrderVictimsPart>())
            foreach (var (claimId, amount) in part.OrderedByClaim) ordered[claimId] = amount;
        restitution.TakePending(ordered);
        session.DeleteWhere<OrderVictimsPart>(p => p.CaseNumber == caseNumber && p.OrderVersion <= version);
    }

    /// <summary>The stored parts of the pending version, less <paramref name="arrived"/> (counted apart, stored or not).</summary>
    private static IQueryable<OrderVictimsPart> Stored(IQuerySession session, CaseRestitution restitution, OrderVictimsPart? arrived)
    {
        var (caseNumber, version, arrivedId) = (restitution.Id, restitution.PendingVersion, arrived?.Id ?? "");
        return session.Query<OrderVictimsPart>().Where(p => p.CaseNumber == caseNumber && p.OrderVersion == version && p.Id != arrivedId);
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
