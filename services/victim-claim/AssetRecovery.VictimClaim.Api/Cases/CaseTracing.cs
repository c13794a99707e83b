using AssetRecovery.Contracts.Freeze;

namespace AssetRecovery.VictimClaim.Cases;

/// <summary>The latest completed trace of a case per currency, as the freeze service reported it (TraceCompleted).</summary>
public sealed class CaseTracing
{
    public string Id { get; set; } = "";
    public Dictionary<string, TracedCurrency> ByCurrency { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Keeps the later trace: an older one arriving late (redelivery, reordering) changes nothing.</summary>
    public bool Apply(TraceCompleted e)
    {
        var currency = e.Loss.Currency;
        if (ByCurrency.TryGetValue(currency, out var current) && (current.CompletedAt, current.TraceId) .CompareTo((e.CompletedAt, e.TraceId)) >= 0)
            return false;
        ByCurrency[currency] = new TracedCurrency
        {
            TraceId = e.TraceId,
            Rule = e.Rule,
            CompletedAt = e.CompletedAt,
            Victims = (e.ByVictim ?? []).ToDictionary(v => v.VictimId,
                v => v.Holdings.GroupBy(h => AccountKeys.Normalize(h.Account))
                    .ToDictionary(g => g.Key, g => g.Sum(h => h.Amount.Amount), StringComparer.Ordinal), StringComparer.Ordinal),
        };
        return true;
    }
}

public sealed class TracedCurrency
{
    public Guid TraceId { get; set; }
    public TraceRule Rule { get; set; }
    public DateTimeOffset CompletedAt { get; set; }
    /// <summary>Victim id → normalised account → the victim's money held there.</summary>
    public Dictionary<string, Dictionary<string, decimal>> Victims { get; set; } = new(StringComparer.Ordinal);
}
