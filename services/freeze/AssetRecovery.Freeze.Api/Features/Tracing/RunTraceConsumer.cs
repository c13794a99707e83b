using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Messaging;
using AssetRecovery.Tracing;
using Marten;
using Marten.Patching;
using MassTransit;

namespace AssetRecovery.Freeze.Features.Tracing;

/// <summary>
/// Runs a requested trace (the relayed TraceRequested event): the case's records in the trace's currency through the
/// engine, which checks its conservation invariants before it answers. The result and a TraceCompleted event (rule,
/// digest, totals) are stored together; a broken invariant is stored as TraceFailed. A redelivery of a finished trace
/// does nothing, and of two copies running at once only one outcome is stored.
/// </summary>
public sealed class RunTraceConsumer(IDocumentStore store, TimeProvider clock, RabbitMqOptions bus) : IConsumer<TraceRequested>
{
    /// <summary>The trace stream holds TraceRequested, then exactly one outcome: a second, racing run conflicts and is retried.</summary>
    private const long CompletedVersion = 2;

    public async Task Consume(ConsumeContext<TraceRequested> context)
    {
        try
        {
            await RunAsync(context);
        }
        catch (Exception error) when (context.GetRetryAttempt() >= bus.RetryLimit && !StoreConflicts.IsConflict(error))
        {
            // The last attempt failed too (database unreachable, a bug): say so on the trace rather than leave it Running.
            // If even that cannot be written, the message goes to the error queue with the trace still open.
            await RecordFailureAsync(context.Message.TraceId, $"The trace could not run: {error.GetType().Name}: {error.Message}",
                context.CancellationToken);
        }
    }

    private async Task RecordFailureAsync(Guid traceId, string reason, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<CaseTrace>(traceId, ct) is not { Status: not (TraceStatus.Completed or TraceStatus.Failed) } trace) return;
        var now = clock.GetUtcNow();
        trace.Status = TraceStatus.Failed;
        trace.Failure = reason.Length > 1000 ? reason[..1000] : reason;
        trace.CompletedAt = now;
        session.Events.Append(traceId, CompletedVersion, new TraceFailed(traceId, trace.CaseNumber, trace.Failure, now));
        session.Store(trace);
        await session.SaveChangesAsync(ct);
    }

    private async Task RunAsync(ConsumeContext<TraceRequested> context)
    {
        var ct = context.CancellationToken;
        var traceId = context.Message.TraceId;
        CaseTrace trace;
        await using (var session = store.LightweightSession())
        {
            trace = await session.LoadAsync<CaseTrace>(traceId, ct) ?? throw new InvalidOperationException($"No trace {traceId}.");
            if (trace.Status is TraceStatus.Completed or TraceStatus.Failed) return;
            trace.Status = TraceStatus.Running;
            session.Store(trace);
            await session.SaveChangesAsync(ct);
        }

        IReadOnlyList<CaseTransaction> records;
        await using (var query = store.QuerySession())
            records = await query.Query<CaseTransaction>()
                .Where(t => t.CaseNumber == trace.CaseNumber && t.Currency == trace.Currency)
                .ToListAsync(ct);

        await using var result = store.LightweightSession();
        var now = clock.GetUtcNow();
        try
        {
            // Compact (no paths): a user's question about one victim runs it again for that victim's paths.
            var request = TraceInputs.Build(trace, records);
            var traced = TraceEngine.Trace(request, new StoredProgress(store, traceId, clock, ct));
            TraceViews.Record(trace, request, traced);
            trace.ImportIds = records.Select(r => r.ImportId).Distinct().Order().ToList();
            trace.Status = TraceStatus.Completed;
            trace.Transactions = records.Count;
            trace.CompletedAt = now;
            var loss = traced.Victims.Sum(v => v.LossMinor);
            var held = traced.Victims.Sum(v => v.HeldMinor);
            result.Events.Append(traceId, CompletedVersion, new TraceCompleted(traceId, trace.CaseNumber, trace.Rule, traced.Digest, records.Count,
                traced.Victims.Count, new Money(Currencies.FromMinorUnits(loss, trace.Currency), trace.Currency),
                new Money(Currencies.FromMinorUnits(held, trace.Currency), trace.Currency), now, TraceViews.ByVictim(traced)));
        }
        catch (TraceInvariantViolation violation)
        {
            trace.Status = TraceStatus.Failed;
            trace.Failure = violation.Message;
            trace.CompletedAt = now;
            result.Events.Append(traceId, CompletedVersion, new TraceFailed(traceId, trace.CaseNumber, violation.Message, now));
        }
        result.Store(trace);
        await result.SaveChangesAsync(ct);
    }
}


/// <summary>
/// Writes the engine's progress onto the trace document, at most once a second (the engine reports on its own thread,
/// about a hundred times per trace), so GET /api/traces/{id} can show how far a long trace has got.
/// </summary>
internal sealed class StoredProgress(IDocumentStore store, Guid traceId, TimeProvider clock, CancellationToken ct) : IProgress<TraceProgress>
{
    private DateTimeOffset _lastWrite = DateTimeOffset.MinValue;

    public void Report(TraceProgress value)
    {
        var now = clock.GetUtcNow();
        if (now - _lastWrite < TimeSpan.FromSeconds(1) || value.Processed == value.Total) return;
        _lastWrite = now;
        using var session = store.LightweightSession();
        session.Patch<CaseTrace>(traceId).Set(t => t.ProgressProcessed, value.Processed);
        session.Patch<CaseTrace>(traceId).Set(t => t.ProgressTotal, value.Total);
        session.SaveChangesAsync(ct).GetAwaiter().GetResult();
    }
}
