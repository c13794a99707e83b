using MassTransit;
using MassTransit.Context;
using MassTransit.Scheduling;

namespace AssetRecovery.Messaging.Scheduling;

/// <summary>
/// Receives MassTransit's ScheduleMessage / CancelScheduledMessage (what a saga's Schedule/Unschedule sends) and keeps
/// them in PostgreSQL; <see cref="ScheduledMessageDispatcher"/> delivers them when due. Stands in for the Quartz
/// integration, which is not available here. Both operations are idempotent by token id.
/// </summary>
public sealed class ScheduleMessageConsumer(ScheduledMessageStore store, ScheduledMessageSignal signal)
    : IConsumer<ScheduleMessage>, IConsumer<CancelScheduledMessage>
{
    public async Task Consume(ConsumeContext<ScheduleMessage> context)
    {
        var message = context.Message;
        // The payload serialized as the envelope it will be delivered in, exactly as the Quartz integration stores it.
        var body = context.SerializerContext
            .GetMessageSerializer(message.Payload, message.PayloadType)
            .GetMessageBody(new MessageSendContext<ScheduleMessage>(message))
            .GetString();
        var contentType = context.ReceiveContext.ContentType?.ToString() ?? "application/vnd.masstransit+json";
        var dueAt = new DateTimeOffset(DateTime.SpecifyKind(message.ScheduledTime, DateTimeKind.Utc));

        await store.ScheduleAsync(new ScheduledMessageRecord(
            message.CorrelationId, message.Destination, dueAt, message.PayloadType, contentType, body, context.CorrelationId),
            context.CancellationToken);
        signal.Notify();
    }

    public Task Consume(ConsumeContext<CancelScheduledMessage> context) =>
        store.CancelAsync(context.Message.TokenId, context.CancellationToken);
}
