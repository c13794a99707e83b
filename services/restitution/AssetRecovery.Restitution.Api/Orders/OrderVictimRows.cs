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
    /// Fills the rows of orders recorded before the table existed, from the order documents (their current terms); an
    /// order that has rows is left alone. Returns the number of orders filled.
    /// </summary>
    public static async Task<int> BackfillAsync(NpgsqlDataSource database, IReadOnlyStoreOptions options, CancellationToken ct)
    {
        var orders = options.Schema.For<RestitutionOrder>();
        var victims = QualifiedName(options);
        await using var command = database.CreateCommand($"""
            with filled as (
                insert into {victims} (order_id, ordinal, claim_id, name, adjudicated_loss, recovered_elsewhere)
                select o.id, (v.n - 1)::int, (v.value ->> 'ClaimId')::uuid, v.value ->> 'Name',
                       (v.value -> 'AdjudicatedLoss' ->> 'Amount')::numeric, coalesce((v.value -> 'RecoveredElsewhere' ->> 'Amount')::numeric, 0)
                from {orders} o
                cross join lateral jsonb_array_elements(o.data -> 'Terms' -> 'Victims') with ordinality as v(value, n)
                where not exists (select 1 from {victims} x where x.order_id = o.id)
                on conflict do nothing
                returning order_id)
            select count(distinct order_id)::int from filled
            """);
        return (int)(await command.ExecuteScalarAsync(ct))!;
    }
}

/// <summary>
/// Keeps <see cref="OrderVictimRows"/> in step with the order's events, inline: an amendment replaces the victims
/// of the version before it.
/// </summary>
public sealed partial class OrderVictimRowsProjection : EventProjection
{
    public void Project(RestitutionOrderRecorded e, IDocumentOperations operations) => Replace(operations, e.OrderId, e.Terms);

    public void Project(RestitutionOrderAmended e, IDocumentOperations operations) => Replace(operations, e.OrderId, e.Terms);

    private static void Replace(IDocumentOperations operations, Guid orderId, RestitutionOrderTerms terms)
    {
        var table = OrderVictimRows.QualifiedName(operations.DocumentStore.Options);
        // Two statements (a batched command takes one), and an insert cannot see a delete of the same statement.
        operations.QueueSqlCommand($"delete from {table} where order_id = ?", orderId);
        // The victims travel as one array per column: one statement and five parameters for 100,000 rows.
        var victims = terms.Victims;
        operations.QueueSqlCommand($"""
            insert into {table} (order_id, ordinal, claim_id, name, adjudicated_loss, recovered_elsewhere)
            select ?, (v.n - 1)::int, v.claim_id, v.name, v.adjudicated_loss, v.recovered_elsewhere
            from unnest(?::uuid[], ?::text[], ?::numeric[], ?::numeric[]) with ordinality as v(claim_id, name, adjudicated_loss, recovered_elsewhere, n)
            """,
            orderId, victims.Select(v => v.ClaimId).ToArray(), victims.Select(v => v.Name).ToArray(),
            victims.Select(v => v.AdjudicatedLoss.Amount).ToArray(), victims.Select(v => v.RecoveredElsewhere.Amount).ToArray());
    }
}

/// <summary>Fills the victims' rows of orders recorded before the table existed, once, as the service starts.</summary>
public sealed class OrderVictimRowsBackfill(NpgsqlDataSource database, IDocumentStore store, ILogger<OrderVictimRowsBackfill> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var filled = await OrderVictimRows.BackfillAsync(database, store.Options, cancellationToken);
        if (filled > 0) logger.LogInformation("Filled the victims' rows of {Orders} restitution order(s) recorded before the table", filled);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
