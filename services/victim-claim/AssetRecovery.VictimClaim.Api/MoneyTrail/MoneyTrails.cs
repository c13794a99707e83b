using AssetRecovery.BuildingBlocks;
using AssetRecovery.Clients.VictimClaim;
using AssetRecovery.VictimClaim.Cases;
using AssetRecovery.VictimClaim.Domain;

namespace AssetRecovery.VictimClaim.MoneyTrail;

/// <summary>
/// A claim's money trail from the case projections this service keeps (never from calls to other services):
/// traced is the victim's money still in accounts per the case's latest trace in the claim's currency; frozen is the
/// victim's share of what is secured in those accounts; ordered is the loss the court adjudicated for the claim; paid is
/// what banks confirmed paying to the victim.
/// </summary>
public static class MoneyTrails
{
    public static MoneyTrailView Compute(Claim claim, CaseFigures figures)
    {
        var currency = claim.Currency;
        decimal traced = 0m, frozen = 0m;
        if (claim is { CaseConfirmed: true, TraceVictimId: { } victim })
        {
            traced = figures.Traced(currency, victim);
            frozen = figures.Frozen(currency, victim);
        }
        var verified = claim.Status == ClaimStatus.Approved ? claim.VerifiedLoss?.Amount : null;
        var (ordered, paid) = claim.CaseConfirmed ? (figures.Ordered(claim.Id, currency), figures.Paid(claim.Id, currency)) : (0m, 0m);
        return new MoneyTrailView(currency, claim.ClaimedLoss.Amount, verified, traced, frozen, ordered, paid,
            verified is { } v ? Math.Max(0m, v - paid) : null, figures.UpdatedAt);
    }
}

/// <summary>One case's projections, with each victim's share of the secured money worked out once for all its claims.</summary>
public sealed class CaseFigures(CaseTracing? tracing, IReadOnlyCollection<InterceptedHold>? holds, CaseRestitution? restitution = null,
    IReadOnlyCollection<ClaimPayment>? payments = null)
{
    private readonly Dictionary<string, Dictionary<string, decimal>> _frozenShares = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<Guid, decimal>> _paid = new(StringComparer.Ordinal);

    public static readonly CaseFigures None = new(null, null);

    public DateTimeOffset? UpdatedAt =>
        new[]
        {
            tracing?.ByCurrency.Values.Select(t => (DateTimeOffset?)t.CompletedAt).Max(), holds?.Select(h => (DateTimeOffset?)h.UpdatedAt).Max(),
            restitution?.UpdatedAt, payments?.Select(p => (DateTimeOffset?)p.ConfirmedAt).Max(),
        }.Max();

    public decimal Ordered(Guid claimId, string currency) => restitution?.Ordered(claimId, currency) ?? 0m;

    public decimal Paid(Guid claimId, string currency)
    {
        if (!_paid.TryGetValue(currency, out var byClaim)) _paid[currency] = byClaim = PaidByClaim(currency);
        return byClaim.GetValueOrDefault(claimId);
    }

    /// <summary>
    /// Per claim, in one pass: confirmed distribution payments (each payment once, whether kept as a document or in an
    /// older case document) and pre-trial returns whose bank receipt is in.
    /// </summary>
    private Dictionary<Guid, decimal> PaidByClaim(string currency)
    {
        var paid = new Dictionary<Guid, decimal>();
        void Add(Guid claimId, decimal amount, string paidIn)
        {
            if (paidIn == currency) paid[claimId] = paid.GetValueOrDefault(claimId) + amount;
        }
        var counted = new HashSet<Guid>();
        foreach (var p in payments ?? [])
            if (counted.Add(p.Id)) Add(p.ClaimId, p.Amount, p.Currency);
        if (restitution is null) return paid;
        foreach (var (paymentId, p) in restitution.Payments)
            if (counted.Add(paymentId)) Add(p.ClaimId, p.Amount, p.Currency);
        foreach (var p in restitution.ReturnedBeforeTrial()) Add(p.ClaimId, p.Amount, p.Currency);
        return paid;
    }

    public decimal Traced(string currency, string victimId) =>
        tracing is not null && tracing.ByCurrency.TryGetValue(currency, out var trace) && trace.Victims.TryGetValue(victimId, out var holdings)
            ? holdings.Values.Sum()
            : 0m;

    public decimal Frozen(string currency, string victimId)
    {
        if (!_frozenShares.TryGetValue(currency, out var shares)) _frozenShares[currency] = shares = FrozenShares(currency);
        return shares.GetValueOrDefault(victimId);
    }

    /// <summary>
    /// Per account: the secured money up to what the trace puts there is the victims'; it is split among them in
    /// proportion to their traced money there, exactly in minor units (largest remainder, victims in id order).
    /// </summary>
    private Dictionary<string, decimal> FrozenShares(string currency)
    {
        var shares = new Dictionary<string, decimal>(StringComparer.Ordinal);
        if (tracing is null || holds is null || !tracing.ByCurrency.TryGetValue(currency, out var trace)) return shares;
        var secured = InterceptedHold.SecuredByAccount(holds, currency);
        var holdersByAccount = trace.Victims
            .SelectMany(v => v.Value.Where(h => secured.ContainsKey(h.Key)).Select(h => (Account: h.Key, Victim: v.Key, Amount: h.Value)))
            .GroupBy(h => h.Account, StringComparer.Ordinal);
        foreach (var holders in holdersByAccount)
        {
            var ordered = holders.OrderBy(h => h.Victim, StringComparer.Ordinal).ToList();
            var weights = ordered.Select(h => Currencies.ToMinorUnits(h.Amount, currency)).ToList();
            var forVictims = Math.Min(Currencies.ToMinorUnits(secured[holders.Key], currency), weights.Sum());
            var parts = LargestRemainder.Split(forVictims, weights);
            for (var i = 0; i < ordered.Count; i++)
                shares[ordered[i].Victim] = shares.GetValueOrDefault(ordered[i].Victim) + Currencies.FromMinorUnits(parts[i], currency);
        }
        return shares;
    }
}
