using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts.Restitution;
using Marten;

namespace AssetRecovery.Restitution.Distribution;

/// <summary>
/// Who a round gives what, read from the round's <see cref="DistributionRoundPlanned"/> event on the case's distribution
/// stream: the allocations are written once, with the event, and never copied into a document (for a round of 100,000
/// payees a copy was 10 MB more to write in the transaction that plans it). <see cref="CaseDistribution"/> keeps the totals.
/// </summary>
public static class RoundAllocations
{
    /// <summary>
    /// What the rounds not cancelled allocated to each payee key (planned ones hold their money), in minor units:
    /// what the next round must not give again.
    /// </summary>
    public static async Task<Dictionary<string, long>> AllocatedMinorAsync(IQuerySession session, CaseDistribution? distribution, string currency,
        CancellationToken ct)
    {
        var allocated = new Dictionary<string, long>(StringComparer.Ordinal);
        var counted = distribution?.Rounds.Where(r => r.Status != RoundStatus.Cancelled).Select(r => r.RoundId.ToString()).ToArray() ?? [];
        if (counted.Length == 0) return allocated;
        var rounds = await session.AdvancedSql.QueryAsync<DistributionRoundPlanned>(
            $"select e.data from {Events(session)} e where e.stream_id = ? and e.type = ? and e.data ->> 'RoundId' = any(?)",
            ct, distribution!.Id, PlannedType(session), counted);
        foreach (var round in rounds)
            foreach (var a in round.Allocations)
            {
                var key = PayeeKeys.For(a);
                allocated[key] = allocated.GetValueOrDefault(key) + Currencies.ToMinorUnits(a.Amount.Amount, currency);
            }
        return allocated;
    }

    /// <summary>
    /// Up to <paramref name="count"/> allocations of a round from number <paramref name="from"/> (0-based) on, sliced in
    /// PostgreSQL by position (a JSON path subscript range, out-of-range positions simply absent): a page neither reads nor
    /// expands the other 99,000 allocations of a large round.
    /// </summary>
    public static async Task<IReadOnlyList<RoundAllocation>> PageAsync(IQuerySession session, string caseNumber, Guid roundId, int from,
        int count, CancellationToken ct)
    {
        if (count <= 0) return [];
        return await session.AdvancedSql.QueryAsync<RoundAllocation>(
            $"select a.value from {Events(session)} e cross join lateral jsonb_path_query(e.data -> 'Allocations', '$[$first to $last]', " +
            "jsonb_build_object('first', ?, 'last', ?)) with ordinality as a(value, n) " +
            "where e.stream_id = ? and e.type = ? and e.data ->> 'RoundId' = ? order by a.n",
            ct, from, from + count - 1, CaseDistribution.StreamIdFor(caseNumber), PlannedType(session), roundId.ToString());
    }

    private static string Events(IQuerySession session) => $"{session.DocumentStore.Options.Events.DatabaseSchemaName}.mt_events";

    /// <summary>The event's name in the store's type column.</summary>
    private static string PlannedType(IQuerySession session) =>
        session.DocumentStore.Options.Events.AllKnownEventTypes().Single(t => t.EventType == typeof(DistributionRoundPlanned)).EventTypeName;
}
