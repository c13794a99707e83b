using System.Data;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Restitution;
using AssetRecovery.Restitution.Claimants;
using AssetRecovery.Restitution.Orders;
using Marten;
using Npgsql;

namespace AssetRecovery.Restitution.Distribution;

/// <summary>A victim the order names, with the loss the investigator verified on their claim (null when none was).</summary>
/// <param name="AdjudicatedLoss">In the order's currency, as is <paramref name="RecoveredElsewhere"/>.</param>
public sealed record VictimForRound(Guid ClaimId, string Name, decimal AdjudicatedLoss, decimal RecoveredElsewhere, Money? VerifiedLoss);

/// <summary>
/// The case's current restitution order as a round is worked out from it, its victims joined to their claims' verified
/// losses. PostgreSQL takes the victims out of the order's JSON and joins them, and they arrive as plain columns: a
/// round for 100,000 victims neither deserializes the order's megabytes nor sends 100,000 claim ids to be looked up.
/// </summary>
public sealed record OrderForRound(Guid OrderId, string CaseNumber, int OrderVersion, string Currency, DistributionPolicy Policy,
    IReadOnlyList<OrderedCreditor> Creditors, IReadOnlyList<VictimForRound> Victims)
{
    /// <summary>
    /// The victims are read in this many parts at once, each on its own connection: the claim lookups, about half of a
    /// 100,000-victim round's time, then run on two cores (the round's read went from about 0.6 to 0.35 s in psql).
    /// </summary>
    private const int VictimParts = 2;

    /// <summary>
    /// Null when the case has no order. Every part reads the snapshot the order was read in (exported to the others), so
    /// the victims belong to the version read.
    /// </summary>
    public static async Task<OrderForRound?> ReadAsync(NpgsqlDataSource database, IQuerySession session, string caseNumber,
        CancellationToken ct)
    {
        var options = session.DocumentStore.Options;
        var orders = options.Schema.For<RestitutionOrder>();
        var claimants = options.Schema.For<Claimant>();
        var orderId = RestitutionOrder.StreamIdFor(caseNumber);
        var victimsQuery = $"""
            select (v.value ->> 'ClaimId')::uuid, v.value ->> 'Name', (v.value -> 'AdjudicatedLoss' ->> 'Amount')::numeric,
                   coalesce((v.value -> 'RecoveredElsewhere' ->> 'Amount')::numeric, 0),
                   (c.data -> 'VerifiedLoss' ->> 'Amount')::numeric, c.data -> 'VerifiedLoss' ->> 'Currency', v.n
            from {orders} o
            cross join lateral jsonb_array_elements(o.data -> 'Terms' -> 'Victims') with ordinality as v(value, n)
            left join {claimants} c on c.id = (v.value ->> 'ClaimId')::uuid
            where o.id = $1 and v.n % $2 = $3
            """;

        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        RestitutionOrder order;
        string snapshot;
        await using (var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                // The order without its victims, deserialized as Marten stored it.
                new NpgsqlBatchCommand($"select jsonb_set(data, '{{Terms,Victims}}', '[]'::jsonb) from {orders} where id = $1")
                    { Parameters = { new() { Value = orderId } } },
                new NpgsqlBatchCommand("select pg_export_snapshot()"),
            },
        })
        {
            await using var reader = await batch.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct)) return null;
            order = options.Serializer().FromJson<RestitutionOrder>(reader, 0);
            await reader.NextResultAsync(ct);
            await reader.ReadAsync(ct);
            snapshot = reader.GetString(0);
        }

        var parts = await Task.WhenAll(Enumerable.Range(0, VictimParts).Select(part => part == 0
            ? ReadVictimsAsync(connection, transaction, null, victimsQuery, orderId, part, ct)
            : ReadVictimsOnSnapshotAsync(database, snapshot, victimsQuery, orderId, part, ct)));
        // In the order's sequence: the parts interleave, and ties in a split go to the victim listed first.
        var victims = parts.SelectMany(p => p).ToArray();
        Array.Sort(victims, (a, b) => a.Position.CompareTo(b.Position));
        return new OrderForRound(order.Id, order.CaseNumber, order.OrderVersion, order.Terms.Currency, order.Terms.Policy,
            order.Terms.Creditors, victims.Select(x => x.Victim).ToList());
    }

    private static async Task<List<(long Position, VictimForRound Victim)>> ReadVictimsOnSnapshotAsync(NpgsqlDataSource database,
        string snapshot, string victimsQuery, Guid orderId, int part, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        return await ReadVictimsAsync(connection, transaction, snapshot, victimsQuery, orderId, part, ct);
    }

    /// <summary>The victims whose position (from 1) leaves <paramref name="part"/> when divided by <see cref="VictimParts"/>, joined to their claims.</summary>
    /// <param name="snapshot">The snapshot to import first (the transaction has not queried yet), or null for the exporter's own.</param>
    private static async Task<List<(long Position, VictimForRound Victim)>> ReadVictimsAsync(NpgsqlConnection connection,
        NpgsqlTransaction transaction, string? snapshot, string victimsQuery, Guid orderId, int part, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        // A snapshot id is PostgreSQL's own text (hex digits and dashes), and SET takes no parameters.
        if (snapshot is not null) batch.BatchCommands.Add(new NpgsqlBatchCommand($"set transaction snapshot '{snapshot.Replace("'", "''")}'"));
        // Room for the expanded victims (about 20 MB for 100,000), which the default 4 MB spilled to a temporary file.
        batch.BatchCommands.Add(new NpgsqlBatchCommand("set local work_mem = '64MB'"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(victimsQuery)
            { Parameters = { new() { Value = orderId }, new() { Value = (long)VictimParts }, new() { Value = (long)part } } });
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var victims = new List<(long Position, VictimForRound Victim)>();
        while (await reader.ReadAsync(ct))
        {
            var verified = reader.IsDBNull(4) ? null : new Money(reader.GetDecimal(4), reader.GetString(5));
            victims.Add((reader.GetInt64(6), new VictimForRound(reader.GetGuid(0), reader.GetString(1), reader.GetDecimal(2),
                reader.GetDecimal(3), verified)));
        }
        return victims;
    }
}
