using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace AssetRecovery.LoadBench;

/// <summary>What was left the services to do before a phase, and how long it took them to finish it.</summary>
/// <param name="Messages">Messages in the vhost's queues when the wait began (null: the management API did not answer).</param>
/// <param name="UnprocessedEvents">Committed events the slowest relay or asynchronous projection had not yet passed when the wait began.</param>
public sealed record BacklogDrain(string Before, long? Messages, long UnprocessedEvents, double Seconds, bool Drained);

/// <summary>
/// The work a phase leaves behind: messages in RabbitMQ's queues (a consumer behind) and events committed but not yet
/// published by every service's relay or applied by the asynchronous projection (restitution's case ledger). Each phase
/// waits for it to drain, so that it is measured on its own work and not on the tail of the one before (after a bulk,
/// victim-claim still holds thousands of events) or of an earlier run; the report says what was left and how long it took.
/// </summary>
public sealed class Backlog : IDisposable
{
    private readonly BenchSettings _settings;
    private readonly NpgsqlDataSource _database;
    private readonly HttpClient _management;

    public Backlog(BenchSettings settings, NpgsqlDataSource database)
    {
        _settings = settings;
        _database = database;
        _management = new HttpClient { BaseAddress = new Uri($"http://{settings.RabbitHost}:{settings.RabbitManagementPort}/") };
        _management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.RabbitUser}:{settings.RabbitPassword}")));
    }

    /// <summary>
    /// Waits until every queue is empty and every relay and projection has caught up for <see cref="QuietFor"/> in a row,
    /// checked each second, or until <see cref="Limit"/>. The management API refreshes queue figures every 5 s, so a
    /// shorter quiet could be a stale zero; a check it does not answer counts as not quiet.
    /// </summary>
    public async Task<BacklogDrain> DrainAsync(string before)
    {
        var clock = Stopwatch.StartNew();
        var left = await MeasureAsync();
        var current = left;
        var quietSince = (TimeSpan?)null;
        while (true)
        {
            quietSince = current == (0, 0) ? quietSince ?? clock.Elapsed : null;
            if (clock.Elapsed - quietSince >= QuietFor || clock.Elapsed >= Limit) break;
            await Task.Delay(TimeSpan.FromSeconds(1));
            current = await MeasureAsync();
        }
        var drained = clock.Elapsed - quietSince >= QuietFor;
        return new BacklogDrain(before, left.Messages, left.UnprocessedEvents, clock.Elapsed.TotalSeconds, drained);
    }

    /// <summary>How long a phase waits at most before it begins anyway (the report says it did not drain).</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    /// <summary>How long the services must have had nothing queued, nothing to relay and nothing to project.</summary>
    public static readonly TimeSpan QuietFor = TimeSpan.FromSeconds(6);

    /// <summary>Queued messages (null when the management API did not answer) and events not yet relayed or projected.</summary>
    private async Task<(long? Messages, long UnprocessedEvents)> MeasureAsync()
    {
        long? messages;
        try
        {
            var queues = await _management.GetFromJsonAsync<JsonElement>($"api/queues/{Uri.EscapeDataString(_settings.RabbitVirtualHost)}?columns=messages");
            // A queue just declared has no figures yet: RabbitMQ then sends it as [] instead of an object.
            messages = queues.EnumerateArray()
                .Sum(q => q.ValueKind == JsonValueKind.Object && q.TryGetProperty("messages", out var count) &&
                          count.ValueKind == JsonValueKind.Number ? count.GetInt64() : 0);
        }
        catch (HttpRequestException)
        {
            messages = null;
        }
        // Every relay's and asynchronous projection's progress against the store's last event. Named, not "every row": a
        // row left by a projection that no longer runs (the case ledger's first version, "CaseLedger:All") would never
        // catch up.
        await using var command = _database.CreateCommand(
            "select coalesce((select max(seq_id) from events.mt_events), 0) - " +
            "coalesce((select min(last_seq_id) from events.mt_event_progression where name like 'relay\\_%' or name = 'CaseLedger:V2:All'), 0)");
        var unprocessed = Convert.ToInt64(await command.ExecuteScalarAsync());
        return (messages, Math.Max(0, unprocessed));
    }

    public void Dispose() => _management.Dispose();
}
