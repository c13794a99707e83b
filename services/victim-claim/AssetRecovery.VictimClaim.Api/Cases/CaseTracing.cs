using AssetRecovery.BuildingBlocks;
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
        if (ByCurrency.TryGetValue(currency, out var current) && !TracedHoldings.Supersedes(e, current.CompletedAt, current.TraceId)) return false;
        ByCurrency[currency] = new TracedCurrency
        {
            TraceId = e.TraceId,
            Rule = e.Rule,
            CompletedAt = e.CompletedAt,
            Victims = TracedHoldings.Of(e).ToDictionary(v => v.VictimId, v => v.Held, StringComparer.Ordinal),
        };
        return true;
    }
}

public sealed class TracedCurrency
{
    public Guid TraceId { get; set; }
    public TraceRule Rule { get; set; }
    public DateTimeOffset CompletedAt { get; set; }
    /// <summary>Victim id → compacted account → the victim's money held there.</summary>
    public Dictionary<string, Dictionary<string, decimal>> Victims { get; set; } = new(StringComparer.Ordinal);
}
