using System.Diagnostics;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.ServiceDefaults;

namespace AssetRecovery.LoadBench;

public sealed record BulkResult(int Rows, int Status, string? Error, double AnsweredSeconds, bool AllAccepted, int Accepted, int Refused,
    double AcceptedSeconds, bool AllInSagas, int InSagas, double InSagasSeconds, PhaseUsage Usage);

/// <summary>
/// One bulk request of 10,000 rows (JSON): when it is answered (rows validated and stored), when every row is accepted
/// (its freeze requested), and when every freeze's saga has it.
/// </summary>
public sealed class BulkBenchmark(BenchSettings settings, SystemClients clients, FreezeSagas sagas)
{
    public async Task<BulkResult> RunAsync()
    {
        var caseNumber = $"BENCH-{settings.RunId}-bulk";
        var rows = Enumerable.Range(1, settings.BulkRows).Select(i => new SubmitFreezeRequest(caseNumber, FreezeKind.Freeze, "ICBC",
            $"6223{settings.RunId[^6..]}{i:D9}", "Bench Holder", "CNY", 1_000.00m, false, $"BENCH-DOC-{settings.RunId}", "Bulk load benchmark")).ToList();
        var api = clients.Freeze<IFreezeBatchApi>(Roles.Investigator, "bench-bulk");
        await using var memory = ServiceMemory.Start(settings.RepositoryRoot);
        var clock = Stopwatch.StartNew();
        var startedAt = DateTime.UtcNow;

        var response = await api.SubmitAsync(new SubmitFreezeBatchRequest(rows));
        var answered = clock.Elapsed.TotalSeconds;
        if (response.Content is not { } batch)
            return new BulkResult(rows.Count, (int)(response.StatusCode ?? 0), response.Failure(), answered, false, 0, 0, double.NaN, false, 0,
                double.NaN, memory.Usage());

        FreezeBatchView view = batch;
        var accepted = await FreezeSagas.WaitForAsync(async () =>
        {
            view = (await api.GetAsync(batch.BatchId)).Content ?? view;
            return view.Accepted + view.Refused;
        }, rows.Count - batch.Invalid, startedAt, TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(250));
        var freezes = await sagas.FreezesOfBatchAsync(batch.BatchId);
        var inSagas = await FreezeSagas.WaitForAsync(() => sagas.CountAsync(freezes), freezes.Count, startedAt, TimeSpan.FromMinutes(5),
            TimeSpan.FromMilliseconds(250));
        return new BulkResult(rows.Count, (int)(response.StatusCode ?? 0), batch.Invalid > 0 ? $"{batch.Invalid} rows invalid" : null, answered,
            accepted.Reached && view.Refused == 0, view.Accepted, view.Refused, accepted.At.TotalSeconds, inSagas.Reached, inSagas.Last,
            inSagas.At.TotalSeconds, memory.Usage());
    }
}
