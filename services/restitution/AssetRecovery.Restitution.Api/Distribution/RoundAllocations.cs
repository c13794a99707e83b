using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts.Restitution;
using Marten;
using Marten.Events.Projections;

namespace AssetRecovery.Restitution.Distribution;

/// <summary>
/// Who a round gives what, one document per round, written once when the round is planned. Kept apart from
/// <see cref="CaseDistribution"/> so that a round of 100,000 payees is not rewritten with every later change of the case
/// (funded, cancelled, the next round) nor read by every command on the case.
/// </summary>
public sealed record RoundAllocations
{
    /// <summary>The round's id.</summary>
    public Guid Id { get; init; }
    public required string CaseNumber { get; init; }
    public required IReadOnlyList<RoundAllocation> Allocations { get; init; }

    /// <summary>
    /// What the rounds not cancelled allocated to each payee key (planned ones hold their money), in minor units:
    /// what the next round must not give again.
    /// </summary>
    public static async Task<Dictionary<string, long>> AllocatedMinorAsync(IQuerySession session, CaseDistribution? distribution, string currency,
        CancellationToken ct)
    {
        var allocated = new Dictionary<string, long>(StringComparer.Ordinal);
        var counted = distribution?.Rounds.Where(r => r.Status != RoundStatus.Cancelled).Select(r => r.RoundId).ToList() ?? [];
        if (counted.Count == 0) return allocated;
        foreach (var round in await session.LoadManyAsync<RoundAllocations>(ct, counted))
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
    public static async Task<IReadOnlyList<RoundAllocation>> PageAsync(IQuerySession session, Guid roundId, int from, int count,
        CancellationToken ct)
    {
        if (count <= 0) return [];
        var table = session.DocumentStore.Options.FindOrResolveDocumentType(typeof(RoundAllocations)).TableName.QualifiedName;
        return await session.AdvancedSql.QueryAsync<RoundAllocation>(
            $"select a.value from {table} d cross join lateral jsonb_path_query(d.data -> 'Allocations', '$[$first to $last]', " +
            "jsonb_build_object('first', ?, 'last', ?)) with ordinality as a(value, n) where d.id = ? order by a.n",
            ct, from, from + count - 1, roundId);
    }
}

/// <summary>Writes a round's <see cref="RoundAllocations"/> in the transaction that plans it (inline).</summary>
public sealed partial class RoundAllocationsProjection : EventProjection
{
    public RoundAllocations Create(DistributionRoundPlanned e) => new() { Id = e.RoundId, CaseNumber = e.CaseNumber, Allocations = e.Allocations };
}
