using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Freeze.Domain;
using AssetRecovery.Messaging;
using Marten;
using MassTransit;

namespace AssetRecovery.Freeze.Features.Batches;

/// <summary>
/// Works through a submitted batch's pending rows, a chunk at a time: each row is a freeze request like any other (one
/// transaction, conflict retry). Rows of the same account go in row order; different accounts go side by side.
/// After a crash the redelivered event resumes with the rows still pending; a row whose freeze was already made is
/// answered by the natural key with the same freeze.
/// </summary>
public sealed class ProcessFreezeBatchConsumer(IDocumentStore store, ISessionFactory sessions, FreezeLifecycle lifecycle, TimeProvider clock)
    : IConsumer<FreezeBatchSubmitted>
{
    private const int ChunkSize = 500;

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

            var byAccount = chunk.GroupBy(r => AccountHolds.StreamIdFor(r.Input!.BankCode!, r.Input.AccountNumber!));
            await Parallel.ForEachAsync(byAccount, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (rows, token) =>
            {
                foreach (var row in rows.OrderBy(r => r.RowNumber)) await ProcessAsync(row, context.Message, token);
            });

            await using var session = store.LightweightSession();
            session.Store(chunk.ToArray());
            await session.SaveChangesAsync(ct);
        }

        await using var completion = store.LightweightSession();
        if (await completion.LoadAsync<FreezeBatch>(batchId, ct) is { CompletedAt: null } batch)
        {
            // Counted from the rows, so a delivery that resumed after a crash reports the whole batch.
            var rows = completion.Query<FreezeBatchRow>().Where(r => r.BatchId == batchId);
            var accepted = await rows.CountAsync(r => r.Status == BatchRowStatus.Accepted, ct);
            var refused = await rows.CountAsync(r => r.Status == BatchRowStatus.Refused, ct);
            batch.CompletedAt = clock.GetUtcNow();
            completion.Store(batch);
            // The batch stream holds FreezeBatchSubmitted, then one completion: a racing second delivery conflicts.
            completion.Events.Append(batchId, 2, new FreezeBatchCompleted(batchId, accepted, refused, batch.CompletedAt.Value));
            await completion.SaveChangesAsync(ct);
        }
    }

    private async Task ProcessAsync(FreezeBatchRow row, FreezeBatchSubmitted batch, CancellationToken ct)
    {
        try
        {
            var decision = await sessions.WriteWithRetryAsync(session => lifecycle.RequestAsync(session, row.Input!, batch.SubmittedBy, ct), ct);
            row.Status = BatchRowStatus.Accepted;
            row.FreezeId = decision.FreezeId;
        }
        catch (DomainRuleViolationException refusedByRule)
        {
            row.Status = BatchRowStatus.Refused;
            row.Rule = refusedByRule.Rule;
            row.Errors = new Dictionary<string, string[]> { ["row"] = [refusedByRule.Message] };
        }
    }
}
