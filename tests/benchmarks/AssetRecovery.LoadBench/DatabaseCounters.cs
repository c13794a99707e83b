using Npgsql;

namespace AssetRecovery.LoadBench;

/// <summary>Commits made in the system's database (pg_stat_database): everyone's, so other work on the machine counts too.</summary>
public sealed class DatabaseCounters(NpgsqlDataSource database)
{
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
