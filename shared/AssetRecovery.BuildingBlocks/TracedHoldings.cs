using AssetRecovery.Contracts.Freeze;

namespace AssetRecovery.BuildingBlocks;

/// <summary>One victim's result in a completed trace, as read models keep it: the loss, and the money held per account.</summary>
public sealed class TracedVictim
{
    public string VictimId { get; set; } = "";
    public decimal Loss { get; set; }
    /// <summary>Compacted account number → the victim's money held there.</summary>
    public Dictionary<string, decimal> Held { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>How services that keep "the latest trace of a case" read a TraceCompleted event.</summary>
public static class TracedHoldings
{
    /// <summary>Each victim in the trace's order, with holdings summed per compacted account.</summary>
    public static List<TracedVictim> Of(TraceCompleted e) => (e.ByVictim ?? []).Select(v => new TracedVictim
    {
        VictimId = v.VictimId,
        Loss = v.Loss.Amount,
        Held = v.Holdings.GroupBy(h => Identifiers.Compact(h.Account))
            .ToDictionary(g => g.Key, g => g.Sum(h => h.Amount.Amount), StringComparer.Ordinal),
    }).ToList();

    /// <summary>
    /// True when the event is a later trace than the one kept: an older one arriving late (redelivered, reordered)
    /// changes nothing; two completed at the same moment are ordered by trace id.
    /// </summary>
    public static bool Supersedes(TraceCompleted e, DateTimeOffset keptCompletedAt, Guid keptTraceId) =>
        (e.CompletedAt, e.TraceId).CompareTo((keptCompletedAt, keptTraceId)) > 0;
}
