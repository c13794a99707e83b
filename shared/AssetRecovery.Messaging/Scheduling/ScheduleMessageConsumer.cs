using Marten;
using MassTransit;
using MassTransit.Scheduling;

namespace AssetRecovery.Messaging.Scheduling;

/// <summary>
/// Receives MassTransit's ScheduleMessage / CancelScheduledMessage sent from outside a consumer (a consumer's or saga's
/// own are written with its state by <see cref="Idempotency.InboxOutboxFilter{T}"/>, without this trip) and keeps them
/// in PostgreSQL, in the same transaction as this message's inbox record; <see cref="ScheduledMessageDispatcher"/>
/// delivers them when due. Stands in for the Quartz integration, which is not available here. Both operations are
/// idempotent by token id.
/// </summary>
public sealed class ScheduleMessageConsumer(ScheduledMessageStore store, IDocumentSession session)
    : IConsumer<ScheduleMessage>, IConsumer<CancelScheduledMessage>
{
    public Task Consume(ConsumeContext<ScheduleMessage> context)
    {
        store.StageSchedule(session, ScheduledMessageRecord.Of(context.Message, context.SerializerContext, context.CorrelationId));
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<CancelScheduledMessage> context)
    {
        store.StageCancel(session, context.Message.TokenId);
        return Task.CompletedTask;
    }
}
