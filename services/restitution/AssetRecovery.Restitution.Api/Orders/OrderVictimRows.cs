using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Restitution;
using Marten;
using Marten.Events.Projections;
using Npgsql;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace AssetRecovery.Restitution.Orders;

/// <summary>
/// The victims of each case's current restitution order, one row each, in the order's sequence (ordinal 0 first). A
/// round reads them and joins their claims as plain rows: from the order's JSON array PostgreSQL took about twice as
/// long for 100,000 victims (docs/benchmarks, finding 17). Written by <see cref="OrderVictimRowsProjection"/> in the
/// transaction that records the order, so a read sees the victims of the order version it sees.
/// </summary>
public static class OrderVictimRows
{
    public const string TableName = "order_victims";

    public static string QualifiedName(IReadOnlyStoreOptions options) => $"{options.DatabaseSchemaName}.{TableName}";

    /// <summary>The table, created and kept up to date by Marten with the service's documents.</summary>
    public static Table Table(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, TableName, SchemaUtils.IdentifierUsage.General));
        table.AddColumn<Guid>("order_id").AsPrimaryKey();
        table.AddColumn<int>("ordinal").AsPrimaryKey();
        table.AddColumn<Guid>("claim_id").NotNull();
        table.AddColumn<string>("name").NotNull();
        table.AddColumn("adjudicated_loss", "numeric").NotNull();
        table.AddColumn("recovered_elsewhere", "numeric").NotNull();
        return table;
    }

    /// <summary>
    /// Fills the rows of orders that have none (recorded before the table existed) from the events of their current
    /// version: the victims its recorded or amended event carries, or those listed after it. Returns the number of
    /// orders filled.
    /// </summary>
    public static async Task<int> BackfillAsync(NpgsqlDataSource database, IReadOnlyStoreOptions options, CancellationToken ct)
    {
        var orders = options.Schema.For<RestitutionOrder>();
        var victims = QualifiedName(options);
        var events = StoredEvents.Table(options);
        await using var command = database.CreateCommand($"""
            with missing as (
                select o.id from {orders} o where not exists (select 1 from {victims} x where x.order_id = o.id)),
            latest as (
                select e.stream_id, max(e.version) as version
                from missing m join {events} e on e.stream_id = m.id
                where e.type = any($1)
                group by e.stream_id),
            listed as (
                select e.stream_id, coalesce((e.data ->> 'FirstOrdinal')::int, 0) as first_ordinal,
                       case when e.type = $2 then e.data -> 'Victims' else e.data -> 'Terms' -> 'Victims' end as victims
                from {events} e join latest l on l.stream_id = e.stream_id and e.version >= l.version),
            filled as (
                insert into {victims} (order_id, ordinal, claim_id, name, adjudicated_loss, recovered_elsewhere)
                select l.stream_id, (l.first_ordinal + v.n - 1)::int, (v.value ->> 'ClaimId')::uuid, v.value ->> 'Name',
                       (v.value -> 'AdjudicatedLoss' ->> 'Amount')::numeric, coalesce((v.value -> 'RecoveredElsewhere' ->> 'Amount')::numeric, 0)
                from listed l
                cross join lateral jsonb_array_elements(l.victims) with ordinality as v(value, n)
                on conflict do nothing
                returning order_id)
            select count(distinct order_id)::int from filled
            """);
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = new[] { StoredEvents.TypeName<RestitutionOrderRecorded>(options), StoredEvents.TypeName<RestitutionOrderAmended>(options) },
        });
        command.Parameters.Add(new NpgsqlParameter { Value = StoredEvents.TypeName<RestitutionOrderVictimsListed>(options) });
        return (int)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// The victims of the order's current version, in the order's sequence, from the <paramref name="skip"/>-th, at most
    /// <paramref name="take"/> of them (null: all); amounts in <paramref name="currency"/>. Read on the given connection,
    /// in its transaction if it has one (<see cref="OrderSnapshot"/>).
    /// </summary>
    public static async Task<List<OrderedVictim>> ReadAsync(NpgsqlConnection connection, IReadOnlyStoreOptions options, Guid orderId,
        string currency, int skip, int? take, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"select claim_id, name, adjudicated_loss, recovered_elsewhere from {QualifiedName(options)} where order_id = $1 order by ordinal offset $2 limit $3",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = orderId });
        command.Parameters.Add(new NpgsqlParameter { Value = skip });
        command.Parameters.Add(new NpgsqlParameter { Value = take is { } size ? size : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var victims = new List<OrderedVictim>();
        while (await reader.ReadAsync(ct))
            victims.Add(new OrderedVictim(reader.GetGuid(0), reader.GetString(1), new Money(reader.GetDecimal(2), currency),
                new Money(reader.GetDecimal(3), currency)));
        return victims;
    }

    /// <summary>How many victims the order's current version names.</summary>
    public static async Task<int> CountAsync(NpgsqlConnection connection, IReadOnlyStoreOptions options, Guid orderId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select count(*)::int from {QualifiedName(options)} where order_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = orderId });
        return (int)(await command.ExecuteScalarAsync(ct))!;
    }
}

/// <summary>
/// Keeps <see cref="OrderVictimRows"/> in step with the order's events, inline: a version's recorded or amended event
/// replaces the victims of the version before it, and the events listing its victims add them.
/// </summary>
public sealed partial class OrderVictimRowsProjection : EventProjection
{
    public void Project(RestitutionOrderRecorded e, IDocumentOperations operations) => Replace(operations, e.OrderId, e.Terms.Victims);

    public void Project(RestitutionOrderAmended e, IDocumentOperations operations) => Replace(operations, e.OrderId, e.Terms.Victims);

    public void Project(RestitutionOrderVictimsListed e, IDocumentOperations operations) => Insert(operations, e.OrderId, e.FirstOrdinal, e.Victims);

    private static void Replace(IDocumentOperations operations, Guid orderId, IReadOnlyList<OrderedVictim> victims)
    {
        // Two statements (a batched command takes one), and an insert cannot see a delete of the same statement.
        operations.QueueSqlCommand($"delete from {OrderVictimRows.QualifiedName(operations.DocumentStore.Options)} where order_id = ?", orderId);
        if (victims.Count > 0) Insert(operations, orderId, 0, victims); // an event recorded before victims were listed apart
    }

    private static void Insert(IDocumentOperations operations, Guid orderId, int firstOrdinal, IReadOnlyList<OrderedVictim> victims)
    {
        // The victims travel as one array per column: one statement and six parameters for any number of rows.
        operations.QueueSqlCommand($"""
            insert into {OrderVictimRows.QualifiedName(operations.DocumentStore.Options)} (order_id, ordinal, claim_id, name, adjudicated_loss, recovered_elsewhere)
            select ?, (? + v.n - 1)::int, v.claim_id, v.name, v.adjudicated_loss, v.recovered_elsewhere
            from unnest(?::uuid[], ?::text[], ?::numeric[], ?::numeric[]) with ordinality as v(claim_id, name, adjudicated_loss, recovered_elsewhere, n)
            """,
            orderId, firstOrdinal, victims.Select(v => v.ClaimId).ToArray(), victims.Select(v => v.Name).ToArray(),
            victims.Select(v => v.AdjudicatedLoss.Amount).ToArray(), victims.Select(v => v.RecoveredElsewhere.Amount).ToArray());
    }
}

/// <summary>Fills the victims' rows of orders that have none (recorded before the table existed), once, as the service starts.</summary>
public sealed class OrderVictimRowsBackfill(NpgsqlDataSource database, IDocumentStore store, ILogger<OrderVictimRowsBackfill> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var filled = await OrderVictimRows.BackfillAsync(database, store.Options, cancellationToken);
        if (filled > 0) logger.LogInformation("Filled the victims' rows of {Orders} restitution order(s) recorded before the table", filled);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
