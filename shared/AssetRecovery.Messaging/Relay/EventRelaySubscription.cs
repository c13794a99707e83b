using System.Collections.Concurrent;
using AssetRecovery.Contracts;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace AssetRecovery.Messaging.Relay;

/// <summary>Which committed events this service relays: those of its own contract namespace, except those marked <see cref="NotRelayedAttribute"/>.</summary>
public sealed record EventRelayOptions(string ServiceName, string OwnEventsNamespace)
{
    /// <summary>How long one publish may take before it counts as failed (a refused topology can stall it indefinitely).</summary>
    public TimeSpan PublishTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>How long a page of events may be held back while work the caller waits for is under way (<see cref="RelayYield"/>).</summary>
    public TimeSpan MaxYield { get; init; } = TimeSpan.FromSeconds(10);

    public string SubscriptionName => $"relay_{ServiceName.Replace('-', '_')}";

    public IEnumerable<Type> RelayedEventTypes =>
        ContractEventTypes.All.Where(t => t.Namespace == OwnEventsNamespace && !t.IsDefined(typeof(NotRelayedAttribute), false));
}

/// <summary>Every event type of the shared store (all services'), so any service can read any stream.</summary>
public static class ContractEventTypes
{
    public static readonly IReadOnlyList<Type> All = typeof(IDomainEvent).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IDomainEvent).IsAssignableFrom(t))
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .ToList();
}

/// <summary>An event the relay could not publish while the broker was reachable: set aside so later events still flow.</summary>
public sealed record ParkedEvent(Guid Id, long Sequence, Guid StreamId, string EventType, string Error, int Attempts, DateTimeOffset ParkedAt);

/// <summary>
/// Publishes committed events to RabbitMQ from the event store (a Marten subscription run by the async daemon), so
/// request handlers only append events: no dual write. The daemon records progress only after a page is published,
/// so delivery is at least once; the event id is the message id, which consumers use to drop duplicates.
/// While the broker is unreachable the page is retried with back-off instead of pausing the subscription. An event
/// that keeps failing while the broker is reachable (a topology or serialization fault that no retry mends) is parked
/// as a <see cref="ParkedEvent"/> document, committed with the subscription's progress, and the rest go on. A page
/// waits while the service's <see cref="RelayYield"/> is held (at most <see cref="EventRelayOptions.MaxYield"/>).
/// </summary>
public sealed class EventRelaySubscription : SubscriptionBase
{
    /// <summary>Failed attempts, each with the broker reachable, before an event is parked.</summary>
    public const int ParkAfterAttempts = 5;

    private readonly IBusControl _bus;
    private readonly EventRelayOptions _options;
    private readonly RelayYield _yield;
    private readonly TimeProvider _clock;
    private readonly ILogger<EventRelaySubscription> _logger;

    public EventRelaySubscription(IBusControl bus, EventRelayOptions options, RelayYield yield, TimeProvider clock,
        ILogger<EventRelaySubscription> logger)
    {
        _bus = bus;
        _options = options;
        _yield = yield;
        _clock = clock;
        _logger = logger;
        Name = options.SubscriptionName;
        foreach (var type in options.RelayedEventTypes) IncludeType(type);
        Options.BatchSize = 500;
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller,
        IDocumentOperations operations, CancellationToken cancellationToken)
    {
        if (_yield.IsHeld)
        {
            var heldSince = _clock.GetTimestamp();
            await _yield.WaitAsync(_options.MaxYield, _clock, cancellationToken);
            _logger.LogDebug("Held events {Floor}..{Ceiling} back for {Held} while the service's foreground work ran",
                page.SequenceFloor, page.SequenceCeiling, _clock.GetElapsedTime(heldSince));
        }
        var delay = TimeSpan.FromMilliseconds(200);
        var attempts = new Dictionary<Guid, int>();
        var parked = new HashSet<Guid>();
        // A retry sends only what has not gone out yet (in order per stream: a stream stops at its first failure).
        var published = new ConcurrentDictionary<Guid, bool>();
        // After a failure the page goes one event at a time, so that a failure is pinned on the event that caused it
        // (a refused publish closes the channel under the publishes running beside it).
        var oneAtATime = false;
        while (true)
        {
            IEvent? current = null;
            try
            {
                var pending = page.Events.Where(e => !parked.Contains(e.Id) && !published.ContainsKey(e.Id)).ToList();
                if (oneAtATime)
                    foreach (var e in pending)
                    {
                        current = e;
                        await PublishAsync(e, published, cancellationToken);
                    }
                else
                    // Per stream in order; streams side by side.
                    await Task.WhenAll(pending.GroupBy(e => e.StreamId).Select(stream => PublishInOrderAsync(stream, published, cancellationToken)));
                return NullChangeListener.Instance;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                var brokerReachable = _bus.CheckHealth().Status == BusHealthStatus.Healthy;
                if (current is not null && brokerReachable)
                {
                    attempts[current.Id] = attempts.GetValueOrDefault(current.Id) + 1;
                    if (attempts[current.Id] >= ParkAfterAttempts)
                    {
                        operations.Store(new ParkedEvent(current.Id, current.Sequence, current.StreamId, current.EventTypeName,
                            exception.Message, attempts[current.Id], _clock.GetUtcNow()));
                        parked.Add(current.Id);
                        _logger.LogError(exception, "Parked event {EventId} ({EventType}, sequence {Sequence}) after {Attempts} failed publishes",
                            current.Id, current.EventTypeName, current.Sequence, attempts[current.Id]);
                        continue;
                    }
                }
                oneAtATime = true;
                _logger.LogWarning(exception, "Relaying events {Floor}..{Ceiling} failed (broker {Reachable}); retrying in {Delay}",
                    page.SequenceFloor, page.SequenceCeiling, brokerReachable ? "reachable" : "unreachable", delay);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    private async Task PublishInOrderAsync(IEnumerable<IEvent> events, ConcurrentDictionary<Guid, bool> published,
        CancellationToken cancellationToken)
    {
        foreach (var e in events) await PublishAsync(e, published, cancellationToken);
    }

    private async Task PublishAsync(IEvent e, ConcurrentDictionary<Guid, bool> published, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.PublishTimeout);
        await _bus.Publish(e.Data, e.EventType, Pipe.Execute<PublishContext>(publish =>
        {
            publish.MessageId = e.Id;
            publish.Headers.Set(RelayHeaders.StreamId, e.StreamId.ToString());
            publish.Headers.Set(RelayHeaders.Sequence, e.Sequence);
            publish.Headers.Set(RelayHeaders.StreamVersion, e.Version);
            if (e.UserName is not null) publish.Headers.Set(RelayHeaders.UserName, e.UserName);
        }), timeout.Token);
        published[e.Id] = true;
    }
}

public static class RelayHeaders
{
    public const string StreamId = "AR-Stream-Id";
    public const string Sequence = "AR-Event-Sequence";
    public const string StreamVersion = "AR-Stream-Version";
    public const string UserName = "AR-User";
}
