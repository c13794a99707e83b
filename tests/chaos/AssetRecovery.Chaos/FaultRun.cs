using AssetRecovery.Clients.Freeze;
using Npgsql;

namespace AssetRecovery.Chaos;

/// <summary>What one fault did to the system, as the table shows it.</summary>
public sealed record FaultResult(
    Fault Fault,
    int Sent,
    int Acknowledged,
    StoreFindings Store,
    SagaFindings Sagas,
    IReadOnlyList<ExplainedDeadLetter> DeadLetters,
    long Backlog,
    OutageWindow Outage,
    int AttemptsInOutage,
    int UnavailableInOutage,
    IReadOnlyList<Attempt> ServerErrors,
    IReadOnlyList<Attempt> Hangs,
    int ConnectionFailures,
    TimeSpan Settled,
    bool SettledInTime,
    string MachineLoad)
{
    /// <summary>Why this fault fails the run; empty when it passes.</summary>
    public IEnumerable<string> Failures()
    {
        if (Store.RequestsLost + Store.ResultsLost > 0) yield return $"{Store.RequestsLost + Store.ResultsLost} lost";
        if (Store.RequestsDuplicated + Store.ResultsDuplicated > 0) yield return $"{Store.RequestsDuplicated + Store.ResultsDuplicated} duplicated";
        if (ServerErrors.Count > 0) yield return $"{ServerErrors.Count} answers 5xx other than 503 ProblemDetails";
        if (Hangs.Count > 0) yield return $"{Hangs.Count} hangs (no answer within the client timeout)";
        if (Sagas.Right < Sagas.Checked) yield return $"{Sagas.Checked - Sagas.Right} sagas not in their right state";
        if (Sagas.SeizureViewsMissing > 0) yield return $"{Sagas.SeizureViewsMissing} executed freezes unknown to the seizure service";
        if (Backlog > 0) yield return $"{Backlog} messages still queued after settling";
        if (DeadLetters.Count(d => !d.IsExplained) is > 0 and var unexplained) yield return $"{unexplained} unexplained error/skipped-queue entries";
        if (Fault.DatabaseOutage && UnavailableInOutage < AttemptsInOutage)
            yield return $"{AttemptsInOutage - UnavailableInOutage} of {AttemptsInOutage} requests during the database outage not answered 503 ProblemDetails";
    }
}

/// <summary>Runs one fault under steady load, lets the system settle, and audits the result.</summary>
public sealed class FaultRun(ChaosOptions options, IFreezeApi freezes, SystemControl control, BrokerAudit broker, HttpClient freezeHealth)
{
    public async Task<FaultResult> RunAsync(Fault fault, string casePrefix)
    {
        var load = new SteadyLoad(freezes, options, casePrefix);
        using var stopLoad = new CancellationTokenSource();
        var loading = load.RunAsync(stopLoad.Token);

        await Task.Delay(options.LoadBeforeFault);
        Log($"{fault.Name}: {fault.Description}");
        var outage = await fault.InjectAsync(control, options);
        await WaitUntilReadyAsync();
        Log($"{fault.Name}: restored (and the freeze service ready) {(DateTimeOffset.UtcNow - outage.From).TotalSeconds:F0} s after the fault began");
        await Task.Delay(options.LoadAfterRecovery);
        stopLoad.Cancel();
        await loading;
        Log($"{fault.Name}: load stopped ({load.Submissions.Count} requests); waiting for sagas and queues to settle");

        var (settledIn, settled) = await SettleAsync(casePrefix);
        await using var database = NpgsqlDataSource.Create(options.PostgresConnectionString);
        var audit = new EventStoreAudit(database, options);
        var store = await audit.CheckRequestsAsync(load.Submissions, casePrefix);
        var sagas = await audit.CheckSagasAsync(casePrefix);
        var backlog = (await broker.QueuesAsync()).Where(q => !q.IsDeadLetter).Sum(q => q.Messages);
        var deadLetters = await audit.ExplainAsync(await broker.DrainDeadLettersAsync());
        var attempts = load.Attempts;
        var inOutage = attempts.Where(a => outage.Contains(a.StartedAt)).ToList();

        return new FaultResult(fault, load.Submissions.Count, load.Submissions.Count(s => s.Acknowledged), store, sagas, deadLetters, backlog,
            outage, inOutage.Count, inOutage.Count(a => a.IsUnavailableProblem),
            attempts.Where(a => a.Status >= 500 && !a.IsUnavailableProblem).OrderBy(a => a.StartedAt).ToList(),
            attempts.Where(a => a.Outcome == AttemptOutcome.Hang).OrderBy(a => a.StartedAt).ToList(),
            attempts.Count(a => a.Outcome == AttemptOutcome.ConnectionFailed), settledIn, settled, MachineLoad());
    }

    /// <summary>
    /// Freshly started services answer their first requests slowly (JIT, first use of each store and connection); that
    /// is the start of the run, not the first fault, so it is spent here: requests one at a time until five in a row
    /// are answered 2xx within a second, for at most two minutes. These requests are not audited.
    /// </summary>
    public async Task WarmUpAsync(string casePrefix)
    {
        var started = DateTimeOffset.UtcNow;
        var quickInARow = 0;
        for (var number = 1; quickInARow < 5 && DateTimeOffset.UtcNow - started < TimeSpan.FromMinutes(2); number++)
        {
            var request = new SubmitFreezeRequest($"{casePrefix}{number:D3}", Contracts.Freeze.FreezeKind.Freeze, "ICBC",
                string.Concat("62", Random.Shared.NextInt64(10_000_000_000_000_000, 99_999_999_999_999_999).ToString()), "Chaos Warm-up",
                "CNY", 1_000.00m, false, "CHAOS-DOC-WARMUP", "Fault suite warm-up");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                var answer = await freezes.SubmitAsync(request, cancellationToken: timeout.Token);
                quickInARow = answer.IsSuccessStatusCode && clock.Elapsed < TimeSpan.FromSeconds(1) ? quickInARow + 1 : 0;
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
            {
                quickInARow = 0;
            }
        }
        Log($"warm-up: {(quickInARow >= 5 ? "five quick answers in a row" : "still slow")} after {(DateTimeOffset.UtcNow - started).TotalSeconds:F0} s");
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(2);
        while (DateTimeOffset.UtcNow < deadline)
        {
            try
            {
                if ((await freezeHealth.GetAsync("/health/ready")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(500);
        }
        throw new TimeoutException("The freeze service was not ready again within 2 minutes of the fault.");
    }

    /// <summary>
    /// Until every saga of the fault is in its right state and no queue holds a message, or the settle timeout. (A deadline
    /// missing from the scheduler does not heal by waiting: it is reported, not waited for.)
    /// </summary>
    private async Task<(TimeSpan Took, bool Settled)> SettleAsync(string casePrefix)
    {
        var started = DateTimeOffset.UtcNow;
        string last = "";
        while (DateTimeOffset.UtcNow - started < options.SettleTimeout)
        {
            try
            {
                await using var database = NpgsqlDataSource.Create(options.PostgresConnectionString);
                var sagas = await new EventStoreAudit(database, options).CheckSagasAsync(casePrefix);
                var backlog = (await broker.QueuesAsync()).Where(q => !q.IsDeadLetter && q.Messages > 0).ToList();
                if (sagas.StatesRight == sagas.Checked && sagas.SeizureViewsMissing == 0 && backlog.Count == 0)
                    return (DateTimeOffset.UtcNow - started, true);
                last = $"{sagas.Checked - sagas.StatesRight} sagas not in their right state, {sagas.SeizureViewsMissing} seizure views missing, " +
                       $"queued: {string.Join(", ", backlog.Select(q => $"{q.Name}={q.Messages}"))}";
            }
            catch (Exception exception) when (exception is NpgsqlException or HttpRequestException or TaskCanceledException)
            {
                last = exception.Message;
            }
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        Log($"not settled after {options.SettleTimeout.TotalSeconds:F0} s: {last}");
        return (DateTimeOffset.UtcNow - started, false);
    }

    /// <summary>
    /// The 1-minute load average at the end of the fault: the machine is shared, and answer times (hangs) depend on what
    /// else runs on it, so the table says how busy it was.
    /// </summary>
    private static string MachineLoad() =>
        File.Exists("/proc/loadavg") ? $"{File.ReadAllText("/proc/loadavg").Split(' ')[0]} on {Environment.ProcessorCount} cores" : "?";

    public static void Log(string line) => Console.WriteLine($"[chaos {DateTimeOffset.UtcNow:HH:mm:ss}] {line}");
}
