using System.Diagnostics;
using System.Net;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.ServiceDefaults;

namespace AssetRecovery.LoadBench;

public sealed record IntakeResult(
    string Name, int Clients, int Sent, int Accepted, int Errors, string? FirstError, double SendSeconds, double HttpRate,
    Latencies Http, bool AllRecorded, int Recorded, double EndToEndSeconds, double EndToEndRate, Latencies EndToEnd,
    PhaseUsage Usage, long Commits);

/// <summary>
/// Freeze requests from N concurrent clients (each its own investigator), each on its own account, 50 to a case, counted as done when
/// the freeze saga has recorded it: HTTP answer, then the committed event relayed over RabbitMQ to the saga.
/// </summary>
public sealed class IntakeBenchmark(BenchSettings settings, SystemClients clients, FreezeSagas sagas, DatabaseCounters counters)
{
    /// <summary>Freezes per case: a case with many mule accounts, as investigators file them.</summary>
    private const int FreezesPerCase = 50;

    private int _accountSequence;

    /// <summary>Open loop at a fixed offered rate: request i is due at i / rate; its latency counts from when it was due.</summary>
    public Task<IntakeResult> AtRateAsync(string name, int rate, TimeSpan duration, int clientCount) =>
        RunAsync(name, clientCount, (int)(rate * duration.TotalSeconds), i => TimeSpan.FromSeconds((double)i / rate));

    /// <summary>Closed loop: every client sends its next request as soon as the last one is answered.</summary>
    public Task<IntakeResult> FlatOutAsync(string name, int requests, int clientCount) =>
        RunAsync(name, clientCount, requests, dueAt: null);

    private async Task<IntakeResult> RunAsync(string name, int clientCount, int total, Func<int, TimeSpan>? dueAt)
    {
        var apis = Enumerable.Range(1, clientCount)
            .Select(c => clients.Freeze<IFreezeApi>(Roles.Investigator, $"bench-investigator-{c}")).ToArray();
        var http = new Latencies();
        var sentAt = new System.Collections.Concurrent.ConcurrentDictionary<Guid, DateTimeOffset>();
        var errors = 0;
        string? firstError = null;
        var next = -1;
        var commitsBefore = await counters.CommitsAsync();
        await using var memory = ServiceMemory.Start(settings.RepositoryRoot);
        var clock = Stopwatch.StartNew();
        var startedAt = DateTime.UtcNow;

        await Task.WhenAll(apis.Select(api => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) is var i && i < total)
            {
                var due = dueAt?.Invoke(i);
                if (due is { } wait && wait > clock.Elapsed) await Task.Delay(wait - clock.Elapsed);
                var started = due ?? clock.Elapsed;
                var sent = DateTimeOffset.UtcNow;
                try
                {
                    var response = await api.SubmitAsync(Request($"BENCH-{settings.RunId}-{name}-{i / FreezesPerCase}"));
                    http.Add((clock.Elapsed - started).TotalMilliseconds);
                    if (response.StatusCode == HttpStatusCode.Created && response.Content is { } accepted) sentAt[accepted.FreezeId] = sent;
                    else if (Interlocked.Increment(ref errors) == 1) firstError = response.Failure();
                }
                catch (Exception exception)
                {
                    if (Interlocked.Increment(ref errors) == 1) firstError = exception.Message;
                }
            }
        })));
        var sendSeconds = clock.Elapsed.TotalSeconds;

        var ids = sentAt.Keys.ToList();
        var (reached, at, recorded) = await FreezeSagas.WaitForAsync(() => sagas.CountAsync(ids), ids.Count, startedAt,
            TimeSpan.FromSeconds(Math.Max(120, sendSeconds * 4)), TimeSpan.FromMilliseconds(100));
        var commits = await counters.CommitsAsync() - commitsBefore;
        var endToEnd = new Latencies();
        foreach (var (id, recordedAt) in await sagas.RecordedAtAsync(ids))
            endToEnd.Add((recordedAt - sentAt[id]).TotalMilliseconds);
        var endToEndSeconds = reached ? at.TotalSeconds : double.NaN;
        return new IntakeResult(name, clientCount, total, ids.Count, errors, firstError, sendSeconds, ids.Count / sendSeconds, http,
            reached, recorded, endToEndSeconds, reached ? ids.Count / endToEndSeconds : recorded / at.TotalSeconds, endToEnd,
            memory.Usage(), commits);
    }

    /// <summary>A valid formal freeze on an account no other request uses (19 digits for ICBC: run id, then a counter).</summary>
    private SubmitFreezeRequest Request(string caseNumber)
    {
        var account = $"6222{settings.RunId[^6..]}{Interlocked.Increment(ref _accountSequence):D9}";
        return new SubmitFreezeRequest(caseNumber, FreezeKind.Freeze, "ICBC", account, "Bench Holder", "CNY", 1_000.00m, false,
            $"BENCH-DOC-{settings.RunId}", "Load benchmark");
    }
}
