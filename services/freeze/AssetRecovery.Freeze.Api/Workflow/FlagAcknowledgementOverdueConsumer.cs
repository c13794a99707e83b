using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Freeze.Domain;
using Marten;
using MassTransit;

namespace AssetRecovery.Freeze.Workflow;

/// <summary>Records the escalation on the freeze stream (and so relays it); a no-op once flagged or answered.</summary>
public sealed class FlagAcknowledgementOverdueConsumer(IDocumentSession session, TimeProvider clock) : IConsumer<FlagFreezeAcknowledgementOverdue>
{
    public async Task Consume(ConsumeContext<FlagFreezeAcknowledgementOverdue> context)
    {
        var stream = await session.Events.FetchForWriting<Domain.Freeze>(context.Message.FreezeId, context.CancellationToken);
        if (stream.Aggregate is null) return;
        // Staged only: the idempotent consume filter commits it with the inbox record.
        if (FreezeDecisions.FlagOverdue(stream.Aggregate, clock.GetUtcNow()) is { } overdue)
            stream.AppendOne(overdue);
    }
}
