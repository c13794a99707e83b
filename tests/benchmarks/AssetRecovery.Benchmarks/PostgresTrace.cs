using System.Diagnostics;
using AssetRecovery.Tracing;
using Npgsql;
using NpgsqlTypes;

namespace AssetRecovery.Benchmarks;

/// <summary>
/// The same case traced as an analyst would in PostgreSQL: the records in a table, then a recursive query that follows
/// the victims' money from the accounts they paid into, hop by hop (up to the engine's hop limit), to every account it
/// reached and how much flowed into those. It attributes nothing to victims; it is the baseline the engine is compared to.
/// </summary>
public static class PostgresTrace
{
    public static async Task<(TimeSpan Load, TimeSpan Query, long Accounts)> RunAsync(string connectionString, TraceRequest request, int maxHops)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (var setup = dataSource.CreateCommand("""
            CREATE SCHEMA IF NOT EXISTS bench_tracing;
            DROP TABLE IF EXISTS bench_tracing.tx;
            CREATE UNLOGGED TABLE bench_tracing.tx (id text, ts timestamptz, from_account text, to_account text, amount bigint, victim_id text);
            """))
            await setup.ExecuteNonQueryAsync();

        var load = Stopwatch.StartNew();
        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY bench_tracing.tx (id, ts, from_account, to_account, amount, victim_id) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var p in request.Payments)
                await Row(copy, p.TransactionId, p.Timestamp, null, p.ToAccount, p.AmountMinor, p.VictimId);
            foreach (var t in request.Transactions)
                await Row(copy, t.TransactionId, t.Timestamp, t.FromAccount, t.ToAccount, t.AmountMinor, null);
            await copy.CompleteAsync();
        }
        await using (var index = dataSource.CreateCommand("CREATE INDEX ON bench_tracing.tx (from_account); ANALYZE bench_tracing.tx;"))
            await index.ExecuteNonQueryAsync();
        load.Stop();

        var query = Stopwatch.StartNew();
        await using var reach = dataSource.CreateCommand("""
            WITH RECURSIVE flow(account, hops) AS (
                SELECT DISTINCT to_account, 0 FROM bench_tracing.tx WHERE victim_id IS NOT NULL
              UNION
                SELECT t.to_account, f.hops + 1
                FROM flow f JOIN bench_tracing.tx t ON t.from_account = f.account
                WHERE t.to_account IS NOT NULL AND f.hops < @maxHops)
            SELECT count(DISTINCT account) FROM flow
            """);
        reach.CommandTimeout = 600;
        reach.Parameters.AddWithValue("maxHops", maxHops);
        var accounts = (long)(await reach.ExecuteScalarAsync())!;
        query.Stop();
        return (load.Elapsed, query.Elapsed, accounts);
    }

    private static async Task Row(NpgsqlBinaryImporter copy, string id, DateTimeOffset ts, string? from, string? to, long amount, string? victim)
    {
        await copy.StartRowAsync();
        await copy.WriteAsync(id, NpgsqlDbType.Text);
        await copy.WriteAsync(ts.UtcDateTime, NpgsqlDbType.TimestampTz);
        await Nullable(copy, from);
        await Nullable(copy, to);
        await copy.WriteAsync(amount, NpgsqlDbType.Bigint);
        await Nullable(copy, victim);
    }

    private static Task Nullable(NpgsqlBinaryImporter copy, string? value) =>
        value is null ? copy.WriteNullAsync() : copy.WriteAsync(value, NpgsqlDbType.Text);
}
