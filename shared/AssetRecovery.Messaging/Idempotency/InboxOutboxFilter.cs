using AssetRecovery.Messaging.Scheduling;
using Marten;
using MassTransit;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using MassTransit.Scheduling;
using MassTransit.Serialization;
using Microsoft.Extensions.Logging;

namespace AssetRecovery.Messaging.Idempotency;

/// <summary>
/// An inbox record: this endpoint has processed this message id. <see cref="OutboxDeliveredAt"/> is set once what that
/// handling sent has reached RabbitMQ.
/// </summary>
public sealed record ProcessedMessage(string Id, string MessageType, DateTimeOffset ProcessedAt)
{
    public DateTimeOffset? OutboxDeliveredAt { get; init; }
}

/// <summary>
/// Inbox and transactional outbox on Marten (MassTransit's own need its EF Core or MongoDB packages). Consumers and sagas
/// stage their writes in the scoped IDocumentSession without saving; whatever they send or publish is captured as
/// <see cref="OutboxMessage"/> documents in that same session. This filter then commits the writes, the outbox and the
/// inbox record in one transaction, and only after that hands the captured messages to RabbitMQ. A crash before the
/// commit leaves nothing; a crash after it leaves the RabbitMQ message unacknowledged, and its redelivery finds the
/// inbox record with an undelivered outbox and sends it (same message ids, so receivers drop a second copy).
/// A duplicate whose outbox was delivered is dropped. Two copies racing both run, but only one commits: the other
/// fails on the inbox key and finds the first one's record (at once, or when retried if that one had not committed yet).
/// The record is looked up before the message is handled, except on the endpoints <see cref="InboxCheckPolicy"/> names,
/// where the failing commit (or handling) of a copy handled before is what finds it.
/// </summary>
public sealed class InboxOutboxFilter<T>(IDocumentSession session, IServiceProvider provider, ScheduledMessageStore scheduler,
    InboxCheckPolicy policy, TimeProvider clock, ILogger<InboxOutboxFilter<T>> logger) : IFilter<ConsumeContext<T>> where T : class
{
    private static readonly OutboxConsumeOptions Options = new()
    {
        ConsumerType = typeof(T).Name,
        MessageDeliveryLimit = int.MaxValue,
        MessageDeliveryTimeout = TimeSpan.FromSeconds(30),
    };

    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        var ct = context.CancellationToken;
        if (context.MessageId is not { } messageId)
        {
            // Not something MassTransit produces; without an id there is no inbox, but the writes still commit.
            await next.Send(context);
            await session.SaveChangesAsync(ct);
            return;
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var key = $"{context.ReceiveContext.InputAddress.AbsolutePath.Trim('/')}/{messageId:N}";
        var checkFirst = !policy.ChecksAtCommit(context.ReceiveContext.InputAddress);
        var processed = checkFirst ? await session.LoadAsync<ProcessedMessage>(key, ct) : null;
        IReadOnlyList<OutboxMessage> outbox = [];
        var consumerRan = false;
        // Set when a copy handled before was found only once handling it failed.
        Exception? failure = null;
        if (processed is null)
        {
            var outboxContext = new MartenOutboxConsumeContext<T>(context, Options, provider, session, scheduler, key);
            try
            {
                await next.Send(outboxContext);
                await outboxContext.ConsumeCompleted;
                outbox = outboxContext.Captured;
                var now = clock.GetUtcNow();
                // Nothing to send: delivered as it commits.
                processed = new ProcessedMessage(key, typeof(T).FullName!, now) { OutboxDeliveredAt = outbox.Count == 0 ? now : null };
                session.Insert(processed);
                await session.SaveChangesAsync(ct);
                consumerRan = true;
            }
            catch (Exception exception)
            {
                // A retry of this message may run in the same scope: it must not find this attempt's staged writes.
                session.EjectAllPendingChanges();
                // Not checked first: a copy handled before shows as this failure (its inbox key taken, or its saga moved on).
                if (checkFirst || await EarlierCopyAsync(key, ct) is not { } earlier) throw;
                processed = earlier;
                failure = exception;
            }
        }

        if (!consumerRan)
        {
            InboxMetrics.CopiesFound.Add(1, new KeyValuePair<string, object?>("endpoint", context.ReceiveContext.InputAddress.AbsolutePath),
                new KeyValuePair<string, object?>("found", failure is null ? "before_handling" : "after_failure"));
            var foundHow = failure is null ? "before handling it" : $"after a failure: {failure.GetType().Name}";
            if (processed.OutboxDeliveredAt is null)
            {
                logger.LogInformation("Redelivered {MessageType} {MessageId} on {Endpoint} (found {Found}): sending its undelivered outbox",
                    typeof(T).Name, messageId, context.ReceiveContext.InputAddress, foundHow);
                outbox = await session.Query<OutboxMessage>().Where(m => m.InboxKey == key).OrderBy(m => m.SequenceNumber).ToListAsync(ct);
            }
            else
            {
                logger.LogInformation("Dropped duplicate {MessageType} {MessageId} on {Endpoint} (found {Found})", typeof(T).Name,
                    messageId, context.ReceiveContext.InputAddress, foundHow);
                await MarkConsumedAsync(context, started);
                return;
            }
        }

        if (outbox.Count == 0 && processed.OutboxDeliveredAt is not null) return;
        await DeliverAsync(context, outbox);
        foreach (var message in outbox) session.Delete(message);
        session.Update(processed with { OutboxDeliveredAt = clock.GetUtcNow() });
        await session.SaveChangesAsync(ct);
        // Counted as consumed once its outbox is out; a failed send leaves it to be retried.
        if (!consumerRan) await MarkConsumedAsync(context, started);
    }

    /// <summary>The inbox record of a copy handled before, looked up after handling failed; null when there is none (or the lookup failed too).</summary>
    private async Task<ProcessedMessage?> EarlierCopyAsync(string key, CancellationToken ct)
    {
        try
        {
            return await session.LoadAsync<ProcessedMessage>(key, ct);
        }
        catch (Exception lookup)
        {
            // The handling's own failure is the one to report and retry.
            logger.LogDebug(lookup, "Could not look up inbox record {Key} after a failure", key);
            return null;
        }
    }

    /// <summary>
    /// A message handled before counts as consumed now too: otherwise MassTransit, seeing no consumer run, would move it
    /// to the endpoint's _skipped queue.
    /// </summary>
    private static Task MarkConsumedAsync(ConsumeContext<T> context, long started) =>
        context.ReceiveContext is { IsDelivered: false, IsFaulted: false }
            ? context.NotifyConsumed(context, System.Diagnostics.Stopwatch.GetElapsedTime(started), "inbox")
            : Task.CompletedTask;

    private static async Task DeliverAsync(ConsumeContext context, IReadOnlyList<OutboxMessage> outbox)
    {
        foreach (var message in outbox)
        {
            if (message.DestinationAddress is not { } destination) continue;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
            timeout.CancelAfter(Options.MessageDeliveryTimeout);
            var endpoint = await context.GetSendEndpoint(destination);
            await endpoint.Send(new SerializedMessageBody(),
                new OutboxMessageSendPipe(message.ToContext(context.SerializerContext), destination), timeout.Token);
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("inbox-outbox");
}

/// <summary>
/// The consume context that consumers and sagas see: their sends and publishes become outbox documents, except what they
/// schedule or unschedule, which is written to the scheduler's table in the same transaction (a saga's deadline with
/// the saga's state: no outbox record, no trip through the scheduler queue).
/// </summary>
public sealed class MartenOutboxConsumeContext<TMessage>(ConsumeContext<TMessage> context, OutboxConsumeOptions options,
    IServiceProvider provider, IDocumentSession session, ScheduledMessageStore scheduler, string inboxKey)
    : OutboxConsumeContextProxy<TMessage>(context, options, provider) where TMessage : class
{
    private readonly List<OutboxMessage> captured = [];

    public IReadOnlyList<OutboxMessage> Captured
    {
        get { lock (captured) return captured.ToList(); }
    }

    public override Task AddSend<T>(SendContext<T> send)
    {
        lock (captured)
        {
            // MassTransit's message scheduler sends these two only to the scheduler queue, whose consumer would store them.
            if (send.Message is ScheduleMessage schedule)
            {
                scheduler.StageSchedule(session, ScheduledMessageRecord.Of(schedule, SerializerContext, send.CorrelationId));
                return Task.CompletedTask;
            }
            if (send.Message is CancelScheduledMessage cancel)
            {
                scheduler.StageCancel(session, cancel.TokenId);
                return Task.CompletedTask;
            }
            var message = OutboxMessage.Capture(send, SerializerContext, inboxKey, captured.Count + 1);
            captured.Add(message);
            session.Insert(message);
        }
        return Task.CompletedTask;
    }

    // MassTransit's OutboxMessagePipe drives these; InboxOutboxFilter delivers by itself, so they are never called.
    public override bool ContinueProcessing { get; set; }
    public override bool IsMessageConsumed => false;
    public override bool IsOutboxDelivered => false;
    public override int ReceiveCount => 0;
    public override long? LastSequenceNumber => null;
    public override Task SetConsumed() => throw new NotSupportedException();
    public override Task SetDelivered() => throw new NotSupportedException();
    public override Task<List<OutboxMessageContext>> LoadOutboxMessages() => throw new NotSupportedException();
    public override Task NotifyOutboxMessageDelivered(OutboxMessageContext message) => throw new NotSupportedException();
    public override Task RemoveOutboxMessages() => throw new NotSupportedException();
}
