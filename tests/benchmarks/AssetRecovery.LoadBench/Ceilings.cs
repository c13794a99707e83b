using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace AssetRecovery.LoadBench;

public sealed record CeilingResult(string Name, int Operations, int Concurrency, double Seconds, double Rate, string? Note);

/// <summary>
/// What this machine can do at most for the same work, measured in the same run: PostgreSQL commits made directly
/// (pgbench, one single-row INSERT per transaction) and RabbitMQ persistent messages published with confirms and consumed
/// with acks.
/// </summary>
public sealed partial class Ceilings(BenchSettings settings, NpgsqlDataSource database)
{
    public async Task<CeilingResult> PostgresCommitsAsync(int commits, int clients)
    {
        const string name = "PostgreSQL commits (pgbench, single-row INSERT)";
        await using (var setup = database.CreateCommand(
            "create schema if not exists bench_ceiling; create table if not exists bench_ceiling.commit_probe (id bigserial primary key, payload text not null); " +
            "truncate bench_ceiling.commit_probe"))
            await setup.ExecuteNonQueryAsync();
        var script = Path.Combine(Path.GetTempPath(), $"bench-ceiling-{settings.RunId}.sql");
        await File.WriteAllTextAsync(script, "INSERT INTO bench_ceiling.commit_probe (payload) VALUES (repeat('x', 500));\n");
        var builder = new NpgsqlConnectionStringBuilder(settings.Postgres);
        var start = new ProcessStartInfo("pgbench",
            ["-n", "-c", clients.ToString(), "-j", Math.Min(clients, Environment.ProcessorCount).ToString(), "-t", (commits / clients).ToString(),
             "-f", script, "-h", builder.Host ?? "127.0.0.1", "-p", builder.Port.ToString(), "-U", builder.Username ?? "", builder.Database ?? ""])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, Environment = { ["PGPASSWORD"] = builder.Password ?? "" },
        };
        try
        {
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            File.Delete(script);
            var tps = TpsLine().Match(output);
            var done = ProcessedLine().Match(output);
            if (process.ExitCode != 0 || !tps.Success)
                return new CeilingResult(name, commits, clients, double.NaN, double.NaN, $"pgbench exited {process.ExitCode}: {error.Trim()}");
            var rate = double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture);
            var count = done.Success ? int.Parse(done.Groups[1].Value, CultureInfo.InvariantCulture) : commits / clients * clients;
            return new CeilingResult(name, count, clients, count / rate, rate, null);
        }
        catch (System.ComponentModel.Win32Exception missing)
        {
            return new CeilingResult(name, commits, clients, double.NaN, double.NaN, $"pgbench: {missing.Message}");
        }
        finally
        {
            await using var cleanup = database.CreateCommand("drop schema if exists bench_ceiling cascade");
            await cleanup.ExecuteNonQueryAsync();
        }
    }

    /// <summary>
    /// Persistent 1 KB messages to a durable queue: publishers wait for the broker's confirms (a window of outstanding
    /// ones per channel, as a well-behaved publisher would), a consumer acks each; timed until the last is consumed.
    /// </summary>
    public async Task<CeilingResult> RabbitPublishConsumeAsync(int messages, int publishers)
    {
        const string name = "RabbitMQ persistent publish (confirms) + consume (acks)";
        const int window = 64;
        var queue = $"bench-ceiling-{settings.RunId}";
        var factory = new ConnectionFactory
        {
            HostName = settings.RabbitHost, VirtualHost = settings.RabbitVirtualHost, UserName = settings.RabbitUser, Password = settings.RabbitPassword,
        };
        try
        {
            await using var publishing = await factory.CreateConnectionAsync("bench-ceiling-publisher");
            await using var consuming = await factory.CreateConnectionAsync("bench-ceiling-consumer");
            await using var consumerChannel = await consuming.CreateChannelAsync();
            await consumerChannel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
            await consumerChannel.BasicQosAsync(0, 256, false);
            var consumed = 0;
            var allConsumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var consumer = new AsyncEventingBasicConsumer(consumerChannel);
            consumer.ReceivedAsync += async (_, delivery) =>
            {
                await consumerChannel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
                if (Interlocked.Increment(ref consumed) == messages) allConsumed.TrySetResult();
            };
            await consumerChannel.BasicConsumeAsync(queue, autoAck: false, consumer);

            var body = new byte[1024];
            Random.Shared.NextBytes(body);
            var properties = new BasicProperties { Persistent = true, ContentType = "application/octet-stream" };
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, publishers).Select(async p =>
            {
                await using var channel = await publishing.CreateChannelAsync(new CreateChannelOptions(
                    publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
                var mine = messages / publishers + (p < messages % publishers ? 1 : 0);
                for (var sent = 0; sent < mine; sent += window)
                {
                    // Each publish completes when the broker confirms it (persisted to disk for a durable queue).
                    var batch = Enumerable.Range(0, Math.Min(window, mine - sent))
                        .Select(_ => channel.BasicPublishAsync("", queue, true, properties, body).AsTask());
                    await Task.WhenAll(batch);
                }
            }));
            var published = clock.Elapsed.TotalSeconds;
            var finished = await Task.WhenAny(allConsumed.Task, Task.Delay(TimeSpan.FromMinutes(2)));
            var seconds = clock.Elapsed.TotalSeconds;
            await consumerChannel.QueueDeleteAsync(queue);
            return finished == allConsumed.Task
                ? new CeilingResult(name, messages, publishers, seconds, messages / seconds, $"published in {published:F2} s")
                : new CeilingResult(name, messages, publishers, seconds, consumed / seconds, $"only {consumed} consumed in 2 minutes");
        }
        catch (Exception exception)
        {
            return new CeilingResult(name, messages, publishers, double.NaN, double.NaN, exception.Message);
        }
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsLine();

    [GeneratedRegex(@"number of transactions actually processed: ([0-9]+)")]
    private static partial Regex ProcessedLine();
}
