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
    /// PostgreSQL by position (a JSON path subscript range on each column, out-of-range positions simply absent): a page
    /// neither reads nor expands the other 99,000 allocations of a large round. A round recorded before the columns
    /// (<see cref="RoundAllocationsJson"/>) is one array of objects, sliced the same way.
    /// </summary>
    public static async Task<IReadOnlyList<RoundAllocation>> PageAsync(IQuerySession session, string caseNumber, Guid roundId, int from,
        int count, CancellationToken ct)
    {
        if (count <= 0) return [];
        const string slice = "'$[$first to $last]', s.range";
        var columns = string.Join(", ", RoundAllocationsJson.Columns.Select(c => $"'{c}', jsonb_path_query_array(s.allocations -> '{c}', {slice})"));
        // "offset 0" keeps the subquery apart, so the event's allocations are read out of it once, not once per column.
        var page = await session.AdvancedSql.QueryAsync<string>(
            $"select (case jsonb_typeof(s.allocations) when 'array' then jsonb_path_query_array(s.allocations, {slice}) " +
            $"else jsonb_build_object({columns}) end)::text " +
            $"from (select e.data -> 'Allocations' as allocations, jsonb_build_object('first', ?, 'last', ?) as range from {Events(session)} e " +
            "where e.stream_id = ? and e.type = ? and e.data ->> 'RoundId' = ? offset 0) s",
            ct, from, from + count - 1, CaseDistribution.StreamIdFor(caseNumber), PlannedType(session), roundId.ToString());
        return page.Count == 0 ? [] : RoundAllocationsJson.Parse(page[0]);
    }

    private static string Events(IQuerySession session) => StoredEvents.Table(session.DocumentStore.Options);

    private static string PlannedType(IQuerySession session) => StoredEvents.TypeName<DistributionRoundPlanned>(session.DocumentStore.Options);
}
