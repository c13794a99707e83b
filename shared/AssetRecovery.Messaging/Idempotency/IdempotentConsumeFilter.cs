using Marten;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace AssetRecovery.Messaging.Idempotency;

/// <summary>An inbox record: this endpoint has processed this message id.</summary>
public sealed record ProcessedMessage(string Id, string MessageType, DateTimeOffset ProcessedAt);

/// <summary>
/// Drops a message that this endpoint already processed, by message id. Consumers stage their writes in the scoped
/// IDocumentSession without saving; this filter saves them together with the inbox record in one transaction, so a
/// redelivered or duplicated message has exactly one effect. Two copies racing both run, but only one commits: the
/// other fails on the inbox key and, when retried, is dropped.
/// </summary>
public sealed class IdempotentConsumeFilter<T>(IDocumentSession session, TimeProvider clock, ILogger<IdempotentConsumeFilter<T>> logger)
    : IFilter<ConsumeContext<T>> where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        if (context.MessageId is not { } messageId)
        {
            await next.Send(context);
            return;
        }

        var key = $"{context.ReceiveContext.InputAddress.AbsolutePath.Trim('/')}/{messageId:N}";
        if (await session.LoadAsync<ProcessedMessage>(key, context.CancellationToken) is not null)
        {
            logger.LogInformation("Dropped duplicate {MessageType} {MessageId} on {Endpoint}", typeof(T).Name, messageId,
                context.ReceiveContext.InputAddress);
            return;
        }

        await next.Send(context);
        session.Insert(new ProcessedMessage(key, typeof(T).FullName!, clock.GetUtcNow()));
        await session.SaveChangesAsync(context.CancellationToken);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("idempotent-consumer");
}
