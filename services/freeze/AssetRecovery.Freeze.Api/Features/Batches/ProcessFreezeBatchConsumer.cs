using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Freeze.Domain;
using AssetRecovery.Messaging;
using AssetRecovery.Messaging.Relay;
using Marten;
using MassTransit;

namespace AssetRecovery.Freeze.Features.Batches;

/// <summary>
/// Works through a submitted batch's pending rows, a chunk at a time: each row is a freeze request like any other, made
/// by the same rules, with conflict retry. Rows of different accounts share a transaction (up to
/// <see cref="RowsPerTransaction"/>: one commit instead of one per row); an account appears at most once in a
/// transaction, and its rows go in row order (waves: every account's first pending row, then every second one, …).
/// Each row's outcome is committed with its request, so after a crash the redelivered event resumes with exactly the
/// rows not yet done. While the rows go, the relay holds this service's events back (<see cref="RelayYield"/>).
/// </summary>
public sealed class ProcessFreezeBatchConsumer(IDocumentStore store, ISessionFactory sessions, FreezeLifecycle lifecycle, RelayYield relayYield,
    TimeProvider clock)
    : IConsumer<FreezeBatchSubmitted>
{
    private const int ChunkSize = 2_000;
    /// <summary>Rows requested in one transaction: the commit (a disk flush) was most of a row's cost.</summary>
    internal const int RowsPerTransaction = 50;
    /// <summary>While the relay yields, the machine has cores to spare for more than 4 (5.2 to 6.2 s against 6.6 to 7.1 s
    /// for 10,000 rows).</summary>
    private const int TransactionsSideBySide = 8;

    public async Task Consume(ConsumeContext<FreezeBatchSubmitted> context)
    {
        var ct = context.CancellationToken;
        var batchId = context.Message.BatchId;
        // The liaison officer waits for the rows; the sagas their requests start can wait for them (up to the relay's hold).
        using (relayYield.Begin())
        {
            while (true)
            {
                List<FreezeBatchRow> chunk;
                await using (var query = store.QuerySession())
                {
                    chunk = (await query.Query<FreezeBatchRow>()
                        .Where(r => r.BatchId == batchId && r.Status == BatchRowStatus.Pending)
                        .OrderBy(r => r.RowNumber).Take(ChunkSize).ToListAsync(ct)).ToList();
                }
                if (chunk.Count == 0) break;

                // Wave n holds each account's n-th pending row: within a wave every account appears once.
                var waves = chunk.GroupBy(r => AccountHolds.StreamIdFor(r.Input!.BankCode!, r.Input.AccountNumber!))
                    .SelectMany(rows => rows.OrderBy(r => r.RowNumber).Select((row, wave) => (Row: row, Wave: wave)))
                    .GroupBy(x => x.Wave).OrderBy(wave => wave.Key);
                foreach (var wave in waves)
                    await Parallel.ForEachAsync(wave.Select(x => x.Row).Chunk(RowsPerTransaction),
                        new ParallelOptions { MaxDegreeOfParallelism = TransactionsSideBySide, CancellationToken = ct },
                        (transaction, token) => new ValueTask(ProcessAsync(transaction, context.Message, token)));
            }
        }

        await using var completion = store.LightweightSession();
        if (await completion.LoadAsync<FreezeBatch>(batchId, ct) is { CompletedAt: null } batch)
        {
            // Counted from the rows, so a delivery that resumed after a crash reports the whole batch.
            var counts = await FreezeBatchRow.CountByStatusAsync(completion, batchId, ct);
            var accepted = counts.GetValueOrDefault(BatchRowStatus.Accepted);
            var refused = counts.GetValueOrDefault(BatchRowStatus.Refused);
            batch.CompletedAt = clock.GetUtcNow();
            completion.Store(batch);
            // The batch stream holds FreezeBatchSubmitted, then one completion: a racing second delivery conflicts.
            completion.Events.Append(batchId, 2, new FreezeBatchCompleted(batchId, accepted, refused, batch.CompletedAt.Value));
            await completion.SaveChangesAsync(ct);
        }
    }

    /// <summary>
    /// Rows of different accounts in one transaction, committed with each row's outcome; a row a rule refuses changes
    /// nothing and the others go ahead.
    /// </summary>
    private async Task ProcessAsync(FreezeBatchRow[] rows, FreezeBatchSubmitted batch, CancellationToken ct) =>
        // Asked afresh on each attempt: a conflict retries the whole transaction against fresh state.
        await sessions.WriteWithRetryAsync(async session =>
        {
            var answers = await lifecycle.RequestManyAsync(session, rows.Select(r => r.Input!).ToList(), batch.SubmittedBy, ct);
            foreach (var (row, answer) in rows.Zip(answers))
                row.RecordOutcome(answer.Decision?.FreezeId, answer.Refusal);
            session.Store(rows);
        }, ct);
}
