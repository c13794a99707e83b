using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Freeze.Domain;
using AssetRecovery.Messaging;
using Marten;
using MassTransit;

namespace AssetRecovery.Freeze.Features.Batches;

/// <summary>
/// Works through a submitted batch's pending rows, a chunk at a time: each row is a freeze request like any other, made
/// by the same rules, with conflict retry. Rows of different accounts share a transaction (up to
/// <see cref="RowsPerTransaction"/>: one commit instead of one per row); an account appears at most once in a
/// transaction, and its rows go in row order (waves: every account's first pending row, then every second one, …).
/// After a crash the redelivered event resumes with the rows still pending; a row whose freeze was already made is
/// answered by the natural key with the same freeze.
/// </summary>
public sealed class ProcessFreezeBatchConsumer(IDocumentStore store, ISessionFactory sessions, FreezeLifecycle lifecycle, TimeProvider clock)
    : IConsumer<FreezeBatchSubmitted>
{
    private const int ChunkSize = 500;
    /// <summary>Rows requested in one transaction: the commit (a disk flush) was most of a row's cost.</summary>
    internal const int RowsPerTransaction = 50;

    public async Task Consume(ConsumeContext<FreezeBatchSubmitted> context)
    {
        var ct = context.CancellationToken;
        var batchId = context.Message.BatchId;
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
                    new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct },
                    (transaction, token) => new ValueTask(ProcessAsync(transaction, context.Message, token)));

            await using var session = store.LightweightSession();
            session.Store(chunk.ToArray());
            await session.SaveChangesAsync(ct);
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

    /// <summary>Rows of different accounts in one transaction; a row a rule refuses changes nothing and the others go ahead.</summary>
    private async Task ProcessAsync(FreezeBatchRow[] rows, FreezeBatchSubmitted batch, CancellationToken ct)
    {
        // Asked afresh on each attempt: a conflict retries the whole transaction against fresh state.
        var answers = await sessions.WriteWithRetryAsync(
            session => lifecycle.RequestManyAsync(session, rows.Select(r => r.Input!).ToList(), batch.SubmittedBy, ct), ct);
        var outcomes = rows.Zip(answers, (row, answer) => (row, answer.Decision?.FreezeId, answer.Refusal));

        foreach (var (row, freezeId, refusal) in outcomes)
        {
            if (refusal is null)
            {
                row.Status = BatchRowStatus.Accepted;
                row.FreezeId = freezeId;
                continue;
            }
            row.Status = BatchRowStatus.Refused;
            row.Rule = refusal.Rule;
            row.Errors = new Dictionary<string, string[]> { ["row"] = [refusal.Message] };
        }
    }
}
