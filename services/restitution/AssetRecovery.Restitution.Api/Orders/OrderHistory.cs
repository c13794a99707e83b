using AssetRecovery.Clients.Restitution;
using AssetRecovery.Contracts.Restitution;
using Marten;
using Npgsql;

namespace AssetRecovery.Restitution.Orders;

/// <summary>
/// The order's versions as its history, from the order stream's recorded and amended events. Each is read without
/// victims (events recorded before victims were listed apart carry them, counted by PostgreSQL); the events listing
/// the victims are not read at all.
/// </summary>
public static class OrderHistory
{
    /// <summary>Read on the given connection, in its transaction if it has one (<see cref="OrderSnapshot"/>).</summary>
    public static async Task<IReadOnlyList<OrderHistoryEntry>> ReadAsync(NpgsqlConnection connection, IReadOnlyStoreOptions options,
        Guid orderId, CancellationToken ct)
    {
        var types = options.Events.AllKnownEventTypes().ToDictionary(t => t.EventTypeName, t => t.EventType);
        await using var command = new NpgsqlCommand(
            "select type, timestamp, data #- '{Terms,Victims}', coalesce(jsonb_array_length(data -> 'Terms' -> 'Victims'), 0) " +
            $"from {StoredEvents.Table(options)} where stream_id = $1 and type <> $2 order by version", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = orderId });
        command.Parameters.Add(new NpgsqlParameter { Value = StoredEvents.TypeName<RestitutionOrderVictimsListed>(options) });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var history = new List<OrderHistoryEntry>();
        while (await reader.ReadAsync(ct))
        {
            var (type, at) = (reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1));
            var data = types.TryGetValue(type, out var eventType) ? options.Serializer().FromJson(eventType, reader, 2) : null;
            if (Entry(at, data, reader.GetInt32(3)) is { } entry) history.Add(entry);
        }
        return history;
    }

    /// <summary>Each entry is numbered by the order version it made.</summary>
    private static OrderHistoryEntry? Entry(DateTimeOffset at, object? data, int victimsCarried) => data switch
    {
        RestitutionOrderRecorded x => new(1, nameof(RestitutionOrderRecorded), at, x.RecordedBy,
            $"Order {x.Terms.JudgmentNumber} of {x.Terms.Court} ({x.Terms.JudgmentDate:yyyy-MM-dd}): {victimsCarried + x.VictimsListedApart} victim(s), " +
            $"{x.Terms.Creditors.Count} other creditor(s), {x.Terms.Policy}"),
        RestitutionOrderAmended x => new(x.OrderVersion, nameof(RestitutionOrderAmended), at, x.AmendedBy, $"Amended to version {x.OrderVersion}: {x.Reason}"),
        _ => null,
    };
}
