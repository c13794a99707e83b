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
    long DeadLettersAdded,
    IReadOnlyList<DeadLetter> DeadLetters,
    long Backlog,
    int AttemptsInOutage,
    int UnavailableInOutage,
    int ServerErrors,
    int Hangs,
    int ConnectionFailures,
    TimeSpan Settled,
    bool SettledInTime)
{
    /// <summary>Why this fault fails the run; empty when it passes.</summary>
    public IEnumerable<string> Failures()
    {
        if (Store.RequestsLost + Store.ResultsLost > 0) yield return $"{Store.RequestsLost + Store.ResultsLost} lost";
        if (Store.RequestsDuplicated + Store.ResultsDuplicated > 0) yield return $"{Store.RequestsDuplicated + Store.ResultsDuplicated} duplicated";
        if (ServerErrors > 0) yield return $"{ServerErrors} answers 5xx other than 503 ProblemDetails";
        if (Hangs > 0) yield return $"{Hangs} hangs (no answer within the client timeout)";
        if (Sagas.Right < Sagas.Checked) yield return $"{Sagas.Checked - Sagas.Right} sagas not in their right state";
        if (Sagas.SeizureViewsMissing > 0) yield return $"{Sagas.SeizureViewsMissing} executed freezes unknown to the seizure service";
        if (Backlog > 0) yield return $"{Backlog} messages still queued after settling";
        if (Fault.DatabaseOutage && UnavailableInOutage < AttemptsInOutage)
            yield return $"{AttemptsInOutage - UnavailableInOutage} of {AttemptsInOutage} requests during the database outage not answered 503 ProblemDetails";
    }
}

/// <summary>Runs one fault under steady load, lets the system settle, and audits the result.</summary>
public sealed class FaultRun(ChaosOptions options, IFreezeApi freezes, SystemControl control, BrokerAudit broker, HttpClient freezeHealth)
{
    public async Task<FaultResult> RunAsync(Fault fault, string casePrefix)
    {
        var deadLettersBefore = await DeadLetterCountAsync();
        var load = new SteadyLoad(freezes, options, casePrefix);
        using var stopLoad = new CancellationTokenSource();
        var loading = load.RunAsync(stopLoad.Token);

        await Task.Delay(options.LoadBeforeFault);
        Log($"{fault.Name}: {fault.Description}");
        var outage = await fault.InjectAsync(control, options);
        await WaitUntilReadyAsync();
        Log($"{fault.Name}: freeze service ready again {(DateTimeOffset.UtcNow - outage.From).TotalSeconds:F0} s after the fault began");
        await Task.Delay(options.LoadAfterRecovery);
        stopLoad.Cancel();
        await loading;
        Log($"{fault.Name}: load stopped ({load.Submissions.Count} requests); waiting for sagas and queues to settle");

        var (settledIn, settled) = await SettleAsync(casePrefix);
        await using var database = NpgsqlDataSource.Create(options.PostgresConnectionString);
        var audit = new EventStoreAudit(database, options);
        var store = await audit.CheckRequestsAsync(load.Submissions, casePrefix);
        var sagas = await audit.CheckSagasAsync(casePrefix);
        var queues = await broker.QueuesAsync();
        var attempts = load.Attempts;
        var inOutage = attempts.Where(a => outage.Contains(a.StartedAt)).ToList();

        return new FaultResult(fault, load.Submissions.Count, load.Submissions.Count(s => s.Acknowledged), store, sagas,
            queues.Where(q => q.IsDeadLetter).Sum(q => q.Messages) - deadLettersBefore, await broker.PeekDeadLettersAsync(),
            queues.Where(q => !q.IsDeadLetter).Sum(q => q.Messages),
            inOutage.Count, inOutage.Count(a => a.IsUnavailableProblem),
            attempts.Count(a => a.Status >= 500 && !a.IsUnavailableProblem), attempts.Count(a => a.Outcome == AttemptOutcome.Hang),
            attempts.Count(a => a.Outcome == AttemptOutcome.ConnectionFailed), settledIn, settled);
    }

    private async Task<long> DeadLetterCountAsync() => (await broker.QueuesAsync()).Where(q => q.IsDeadLetter).Sum(q => q.Messages);

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

    /// <summary>Until every saga of the fault is right and no queue holds a message, or the settle timeout.</summary>
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
                if (sagas.Right == sagas.Checked && sagas.SeizureViewsMissing == 0 && backlog.Count == 0)
                    return (DateTimeOffset.UtcNow - started, true);
                last = $"{sagas.Checked - sagas.Right} sagas not right, {sagas.SeizureViewsMissing} seizure views missing, " +
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

    public static void Log(string line) => Console.WriteLine($"[chaos {DateTimeOffset.UtcNow:HH:mm:ss}] {line}");
}
