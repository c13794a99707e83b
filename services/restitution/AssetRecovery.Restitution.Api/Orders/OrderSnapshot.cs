using System.Data;
using AssetRecovery.Clients.Restitution;
using AssetRecovery.Contracts.Restitution;
using Marten;
using Npgsql;

namespace AssetRecovery.Restitution.Orders;

/// <summary>
/// A case's order read so that its parts agree: the order, its victims (all, or a page and how many there are) and its
/// history, all in one repeatable-read transaction. Read one after another, an amendment committed between two reads
/// would show one version's terms beside another version's victims.
/// </summary>
public sealed class OrderSnapshot : IAsyncDisposable
{
    private readonly NpgsqlConnection connection;
    private readonly NpgsqlTransaction transaction;
    private readonly IReadOnlyStoreOptions options;

    private OrderSnapshot(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyStoreOptions options, RestitutionOrder order)
    {
        (this.connection, this.transaction, this.options) = (connection, transaction, options);
        Order = order;
    }

    /// <summary>The order without its victims (documents written before they were listed apart carry them).</summary>
    public RestitutionOrder Order { get; }

    /// <summary>
    /// Reads the order's document without its victims, deserialized as Marten stored it: the query's one column. Its one
    /// parameter is the order's id.
    /// </summary>
    public static string OrderQuery(IReadOnlyStoreOptions options) =>
        $"select jsonb_set(data, '{{Terms,Victims}}', '[]'::jsonb) from {options.Schema.For<RestitutionOrder>()} where id = $1";

    /// <summary>Null when the case has no order.</summary>
    public static async Task<OrderSnapshot?> OpenAsync(NpgsqlDataSource database, IQuerySession session, string caseNumber,
        CancellationToken ct)
    {
        var options = session.DocumentStore.Options;
        OrderSnapshot? snapshot = null;
        var connection = await database.OpenConnectionAsync(ct);
        try
        {
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
            RestitutionOrder? order = null;
            await using (var command = new NpgsqlCommand(OrderQuery(options), connection, transaction)
                         {
                             Parameters = { new() { Value = RestitutionOrder.StreamIdFor(caseNumber) } },
                         })
            await using (var reader = await command.ExecuteReaderAsync(ct))
                if (await reader.ReadAsync(ct)) order = options.Serializer().FromJson<RestitutionOrder>(reader, 0);
            // Made once the reader is closed: until then a failure leaves the connection to the finally below.
            if (order is not null) snapshot = new OrderSnapshot(connection, transaction, options, order);
            return snapshot;
        }
        finally
        {
            // Closing the connection ends its transaction.
            if (snapshot is null) await connection.DisposeAsync();
        }
    }

    /// <summary>The victims from the <paramref name="skip"/>-th, at most <paramref name="take"/> (null: all).</summary>
    public Task<List<OrderedVictim>> VictimsAsync(int skip, int? take, CancellationToken ct) =>
        OrderVictimRows.ReadAsync(connection, options, Order.Id, Order.Terms.Currency, skip, take, ct);

    public Task<int> CountVictimsAsync(CancellationToken ct) => OrderVictimRows.CountAsync(connection, options, Order.Id, ct);

    public Task<IReadOnlyList<OrderHistoryEntry>> HistoryAsync(CancellationToken ct) => OrderHistory.ReadAsync(connection, options, Order.Id, ct);

    public async ValueTask DisposeAsync()
    {
        // Nothing was written: ending the transaction without a commit only lets its snapshot go.
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
