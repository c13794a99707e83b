using AssetRecovery.Contracts;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace AssetRecovery.Messaging.Relay;

/// <summary>Which committed events this service relays: only those of its own contract namespace.</summary>
public sealed record EventRelayOptions(string ServiceName, string OwnEventsNamespace)
{
    public string SubscriptionName => $"relay_{ServiceName.Replace('-', '_')}";

    public IEnumerable<Type> RelayedEventTypes =>
        ContractEventTypes.All.Where(t => t.Namespace == OwnEventsNamespace);
}

/// <summary>Every event type of the shared store (all services'), so any service can read any stream.</summary>
public static class ContractEventTypes
{
    public static readonly IReadOnlyList<Type> All = typeof(IDomainEvent).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IDomainEvent).IsAssignableFrom(t))
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .ToList();
}

/// <summary>
/// Publishes committed events to RabbitMQ from the event store (a Marten subscription run by the async daemon), so
/// request handlers only append events: no dual write. The daemon records progress only after a page is published,
/// so delivery is at least once; the event id is the message id, which consumers use to drop duplicates.
/// While the broker is unreachable the page is retried with back-off instead of pausing the subscription.
/// </summary>
public sealed class EventRelaySubscription : SubscriptionBase
{
    private readonly IBus _bus;
    private readonly ILogger<EventRelaySubscription> _logger;

    public EventRelaySubscription(IBus bus, EventRelayOptions options, ILogger<EventRelaySubscription> logger)
    {
        _bus = bus;
        _logger = logger;
        Name = options.SubscriptionName;
        foreach (var type in options.RelayedEventTypes) IncludeType(type);
        Options.BatchSize = 500;
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller,
        IDocumentOperations operations, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                // Per stream in order; streams side by side.
                await Task.WhenAll(page.Events.GroupBy(e => e.StreamId).Select(stream => PublishInOrderAsync(stream, cancellationToken)));
                return NullChangeListener.Instance;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                _logger.LogWarning(exception, "Relaying events {Floor}..{Ceiling} failed; retrying in {Delay}",
                    page.SequenceFloor, page.SequenceCeiling, delay);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    private async Task PublishInOrderAsync(IEnumerable<IEvent> events, CancellationToken cancellationToken)
    {
        foreach (var e in events)
        {
            await _bus.Publish(e.Data, e.EventType, Pipe.Execute<PublishContext>(publish =>
            {
                publish.MessageId = e.Id;
                publish.Headers.Set(RelayHeaders.StreamId, e.StreamId.ToString());
                publish.Headers.Set(RelayHeaders.Sequence, e.Sequence);
                publish.Headers.Set(RelayHeaders.StreamVersion, e.Version);
                if (e.UserName is not null) publish.Headers.Set(RelayHeaders.UserName, e.UserName);
            }), cancellationToken);
        }
    }
}

public static class RelayHeaders
{
    public const string StreamId = "AR-Stream-Id";
    public const string Sequence = "AR-Event-Sequence";
    public const string StreamVersion = "AR-Stream-Version";
    public const string UserName = "AR-User";
}
