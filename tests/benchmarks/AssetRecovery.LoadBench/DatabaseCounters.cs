using Npgsql;

namespace AssetRecovery.LoadBench;

/// <summary>The size of the database the figures came from.</summary>
public sealed record DatabaseSize(string Name, long Bytes, long Events);

/// <summary>Counters of the system's database: its commits (pg_stat_database: everyone's, so other work on the machine counts too) and its size.</summary>
public sealed class DatabaseCounters(NpgsqlDataSource database)
{
    /// <summary>The database's name, size on disk and number of events: the same code is slower on a larger database.</summary>
    public async Task<DatabaseSize> SizeAsync()
    {
        await using var command = database.CreateCommand(
            "select current_database(), pg_database_size(current_database()), (select count(*) from events.mt_events)");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new DatabaseSize(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    public async Task<long> CommitsAsync()
    {
        // Backends report their counts to the statistics at most about once a second.
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        await using var command = database.CreateCommand(
            "select pg_stat_clear_snapshot(); select xact_commit from pg_stat_database where datname = current_database()");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.NextResultAsync();
        await reader.ReadAsync();
        return reader.GetInt64(0);
    }
}
