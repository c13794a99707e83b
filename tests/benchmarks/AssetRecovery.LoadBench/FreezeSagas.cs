using Npgsql;

namespace AssetRecovery.LoadBench;

/// <summary>
/// Reads the freeze saga's state where MartenSagaRepository keeps it (the freeze service's document schema), to count a
/// request as done only once the saga has recorded it.
/// </summary>
public sealed class FreezeSagas(NpgsqlDataSource database)
{
    private const string Table = "freeze_service.mt_doc_freezesagastate";

    /// <summary>How many of these freezes have a saga.</summary>
    public async Task<int> CountAsync(IReadOnlyCollection<Guid> freezeIds)
    {
        await using var command = database.CreateCommand($"select count(*) from {Table} where id = any($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = freezeIds.ToArray() });
        return Convert.ToInt32(await command.ExecuteScalarAsync());
    }

    /// <summary>
    /// The freezes a bulk batch's rows made (their ids are not known up front). Read once, so that the polls count by
    /// primary key: counting a case's sagas by a JSON field scanned every saga ever written (81 ms a poll, four times a
    /// second, on the cores the sagas need).
    /// </summary>
    public async Task<IReadOnlyCollection<Guid>> FreezesOfBatchAsync(Guid batchId)
    {
        await using var command = database.CreateCommand(
            "select CAST(data ->> 'FreezeId' as uuid) from freeze_service.mt_doc_freezebatchrow " +
            "where CAST(data ->> 'BatchId' as uuid) = $1 and data ->> 'FreezeId' is not null");
        command.Parameters.Add(new NpgsqlParameter { Value = batchId });
        var ids = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));
        return ids;
    }

    /// <summary>When each saga was last written (the database's clock; this machine's, as the client's).</summary>
    public async Task<Dictionary<Guid, DateTimeOffset>> RecordedAtAsync(IReadOnlyCollection<Guid> freezeIds)
    {
        await using var command = database.CreateCommand($"select id, mt_last_modified from {Table} where id = any($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = freezeIds.ToArray() });
        var recorded = new Dictionary<Guid, DateTimeOffset>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) recorded[reader.GetGuid(0)] = reader.GetFieldValue<DateTimeOffset>(1);
        return recorded;
    }

    /// <summary>Polls until <paramref name="count"/> reports at least <paramref name="expected"/>, or the time is up.</summary>
    public static async Task<(bool Reached, TimeSpan At, int Last)> WaitForAsync(Func<Task<int>> count, int expected, DateTime startedAt,
        TimeSpan timeout, TimeSpan every)
    {
        var last = 0;
        while (DateTime.UtcNow - startedAt < timeout)
        {
            last = await count();
            if (last >= expected) return (true, DateTime.UtcNow - startedAt, last);
            await Task.Delay(every);
        }
        return (false, DateTime.UtcNow - startedAt, last);
    }
}
