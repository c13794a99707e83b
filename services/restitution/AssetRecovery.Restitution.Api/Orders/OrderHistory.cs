using AssetRecovery.Clients.Restitution;
using AssetRecovery.Contracts.Restitution;
using Marten;
using Npgsql;

namespace AssetRecovery.Restitution.Orders;

/// <summary>
/// The order stream's events as the order's history. Each event is read without its victims, their number counted by
/// PostgreSQL: a case of 100,000 victims carries about 19 MB in each version's event, which the history never shows.
/// </summary>
public static class OrderHistory
{
    public static async Task<IReadOnlyList<OrderHistoryEntry>> ReadAsync(NpgsqlDataSource database, IQuerySession session, Guid orderId,
        CancellationToken ct)
    {
        var options = session.DocumentStore.Options;
        var types = options.Events.AllKnownEventTypes().ToDictionary(t => t.EventTypeName, t => t.EventType);
        await using var command = database.CreateCommand(
            "select version, type, timestamp, data #- '{Terms,Victims}', coalesce(jsonb_array_length(data -> 'Terms' -> 'Victims'), 0) " +
            $"from {options.Events.DatabaseSchemaName}.mt_events where stream_id = $1 order by version");
        command.Parameters.Add(new NpgsqlParameter { Value = orderId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var history = new List<OrderHistoryEntry>();
        while (await reader.ReadAsync(ct))
        {
            var (version, type, at) = (reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2));
            var data = types.TryGetValue(type, out var eventType) ? options.Serializer().FromJson(eventType, reader, 3) : null;
            history.Add(Entry(version, type, at, data, reader.GetInt32(4)));
        }
        return history;
    }

    private static OrderHistoryEntry Entry(long version, string type, DateTimeOffset at, object? data, int victims) => data switch
    {
        RestitutionOrderRecorded x => new(version, nameof(RestitutionOrderRecorded), at, x.RecordedBy,
            $"Order {x.Terms.JudgmentNumber} of {x.Terms.Court} ({x.Terms.JudgmentDate:yyyy-MM-dd}): {victims} victim(s), " +
            $"{x.Terms.Creditors.Count} other creditor(s), {x.Terms.Policy}"),
        RestitutionOrderAmended x => new(version, nameof(RestitutionOrderAmended), at, x.AmendedBy, $"Amended to version {x.OrderVersion}: {x.Reason}"),
        _ => new(version, type, at, null, type),
    };
}
