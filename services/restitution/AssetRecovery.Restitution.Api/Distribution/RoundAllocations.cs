using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts.Restitution;
using Marten;

namespace AssetRecovery.Restitution.Distribution;

/// <summary>
/// Who a round gives what, read from the round's events on the case's distribution stream: its
/// <see cref="DistributionRoundAllocationsListed"/> parts, or, for a round recorded before they were listed apart, its
/// <see cref="DistributionRoundPlanned"/> event. The allocations are written once, with the round, and never copied into
/// a document; <see cref="CaseDistribution"/> keeps the totals.
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
        var lists = await session.AdvancedSql.QueryAsync<string>(
            $"select (e.data -> 'Allocations')::text from {Events(session)} e " +
            "where e.stream_id = ? and e.type = any(?) and e.data ->> 'RoundId' = any(?)",
            ct, distribution!.Id, RoundTypes(session), counted);
        foreach (var list in lists)
            foreach (var a in RoundAllocationsJson.Parse(list))
            {
                var key = PayeeKeys.For(a);
                allocated[key] = allocated.GetValueOrDefault(key) + Currencies.ToMinorUnits(a.Amount.Amount, currency);
            }
        return allocated;
    }

    /// <summary>
    /// Up to <paramref name="count"/> allocations of a round from number <paramref name="from"/> (0-based) on, sliced in
    /// PostgreSQL by position out of each event that lists them (a JSON path subscript range on each column,
    /// out-of-range positions simply absent): a page neither reads nor expands the round's other allocations. A round
    /// recorded before the columns (<see cref="RoundAllocationsJson"/>) is one array of objects, sliced the same way.
    /// </summary>
    public static async Task<IReadOnlyList<RoundAllocation>> PageAsync(IQuerySession session, string caseNumber, Guid roundId, int from,
        int count, CancellationToken ct)
    {
        if (count <= 0) return [];
        const string slice = "'$[$first to $last]', s.range";
        // Each array column sliced (one left out stays out: its null is stripped); the first payment id, the one currency
        // as they are, with the number of ids the slice skips.
        var columns = string.Join(", ", RoundAllocationsJson.Columns.Select(c => $"'{c}', jsonb_path_query_array(s.allocations -> '{c}', {slice})")
            .Append($"'{RoundAllocationsJson.FirstPaymentId}', s.allocations -> '{RoundAllocationsJson.FirstPaymentId}'")
            .Append($"'{RoundAllocationsJson.PaymentIdsSkipped}', s.range -> 'first'")
            .Append($"'{RoundAllocationsJson.OneCurrency}', s.allocations -> '{RoundAllocationsJson.OneCurrency}'"));
        // Positions relative to the event's first allocation (a round's planned event, listing them all, has none: 0).
        // "offset 0" keeps the subquery apart, so each event's allocations are read out of it once, not once per column.
        var parts = await session.AdvancedSql.QueryAsync<string>(
            $"select (case jsonb_typeof(s.allocations) when 'array' then jsonb_path_query_array(s.allocations, {slice}) " +
            $"else jsonb_strip_nulls(jsonb_build_object({columns})) end)::text " +
            "from (select e.data -> 'Allocations' as allocations, " +
            "jsonb_build_object('first', greatest(? - p.first, 0), 'last', ? - p.first) as range, p.first " +
            $"from {Events(session)} e, lateral (select coalesce((e.data ->> 'FirstOrdinal')::int, 0) as first) p " +
            "where e.stream_id = ? and e.type = any(?) and e.data ->> 'RoundId' = ? and p.first <= ? offset 0) s " +
            "order by s.first",
            ct, from, from + count - 1, CaseDistribution.StreamIdFor(caseNumber), RoundTypes(session), roundId.ToString(), from + count - 1);
        return parts.SelectMany(RoundAllocationsJson.Parse).ToList();
    }

    private static string Events(IQuerySession session) => StoredEvents.Table(session.DocumentStore.Options);

    /// <summary>The events that list a round's allocations: its parts, and its planned event (all of them, before parts).</summary>
    private static string[] RoundTypes(IQuerySession session) =>
    [
        StoredEvents.TypeName<DistributionRoundPlanned>(session.DocumentStore.Options),
        StoredEvents.TypeName<DistributionRoundAllocationsListed>(session.DocumentStore.Options),
    ];
}
