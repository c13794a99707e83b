using System.Net.Mime;
using MassTransit;
using MassTransit.Serialization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AssetRecovery.Messaging.Scheduling;

/// <summary>Wakes the dispatcher early when a message is scheduled sooner than its next poll.</summary>
public sealed class ScheduledMessageSignal
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Notify()
    {
        if (_wake.CurrentCount == 0)
        {
            try { _wake.Release(); } catch (SemaphoreFullException) { /* already signalled */ }
        }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);
}

/// <summary>
/// Polls PostgreSQL for due scheduled messages and sends them to their destination with the scheduling token header,
/// so a saga accepts only the deadline it is still waiting for. Safe with several instances (SKIP LOCKED).
/// Time comes from <see cref="TimeProvider"/> so tests can move it forward.
/// </summary>
public sealed class ScheduledMessageDispatcher(
    ScheduledMessageStore store, ScheduledMessageSignal signal, IBus bus, SchedulerOptions options, TimeProvider clock,
    ILogger<ScheduledMessageDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await store.EnsureSchemaAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Drain everything due before sleeping again.
                while (await store.DeliverDueAsync(clock.GetUtcNow(), options.BatchSize, DeliverAsync, stoppingToken) > 0) { }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Delivering scheduled messages failed; retrying at the next poll");
            }
            try
            {
                await signal.WaitAsync(options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task DeliverAsync(ScheduledMessageRecord message, CancellationToken cancellationToken)
    {
        var endpoint = await bus.GetSendEndpoint(message.Destination);
        await endpoint.Send(new SerializedMessageBody(), Pipe.Execute<SendContext>(send =>
        {
            var deserializer = send.Serialization.GetMessageDeserializer(new ContentType(message.ContentType));
            var serialized = deserializer.Deserialize(deserializer.GetMessageBody(message.Body), new DictionarySendHeaders(), message.Destination);
            send.CorrelationId = message.CorrelationId;
            send.SupportedMessageTypes = message.MessageTypes;
            send.Headers.Set(MessageHeaders.SchedulingTokenId, message.TokenId.ToString("N"));
            send.Serializer = serialized.GetMessageSerializer();
        }), cancellationToken);
        logger.LogDebug("Delivered scheduled message {TokenId} to {Destination}", message.TokenId, message.Destination);
    }
}
