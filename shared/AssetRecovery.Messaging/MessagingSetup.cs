using System.Data.Common;
using System.Security.Claims;
using AssetRecovery.Messaging.Idempotency;
using AssetRecovery.Messaging.Relay;
using AssetRecovery.Messaging.Scheduling;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using Marten;
using MassTransit;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AssetRecovery.Messaging;

public sealed class EventStoreOptions
{
    public const string Section = "EventStore";
    /// <summary>Schema of the one event store that all services share.</summary>
    public string EventsSchema { get; set; } = "events";
    /// <summary>Schema of this service's documents (projections, saga state, inbox); defaults to "&lt;service&gt;_service"
    /// (a bare "freeze" is a PostgreSQL keyword, and Marten does not quote schema names).</summary>
    public string? DocumentsSchema { get; set; }
    /// <summary>Solo (one instance, the default), HotCold (needs the real DistributedLock package), or Disabled.</summary>
    public DaemonMode DaemonMode { get; set; } = DaemonMode.Solo;
    /// <summary>How long the relay waits for one publish before counting it as failed.</summary>
    public TimeSpan RelayPublishTimeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>How long the relay holds a page back while the service does work a caller waits for (a bulk batch's rows).</summary>
    public TimeSpan RelayMaxYield { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>
    /// How soon the daemon looks for newly committed events again after it found some. Marten's 250 ms let each relay
    /// take a quarter second's events at once: a freeze reached its saga 0.6 s after the request at 200 requests/s, and
    /// the bursts of work pushed the requests' own p99 to 70 to 120 ms (docs/benchmarks, finding 28).
    /// </summary>
    public TimeSpan DaemonFastPolling { get; set; } = TimeSpan.FromMilliseconds(100);
    /// <summary>How soon the daemon looks again after it found nothing new (Marten's default is 1 s).</summary>
    public TimeSpan DaemonSlowPolling { get; set; } = TimeSpan.FromMilliseconds(100);
}

public sealed class RabbitMqOptions
{
    public const string Section = "RabbitMq";
    public string Host { get; set; } = "localhost";
    public ushort Port { get; set; } = 5672;
    public string VirtualHost { get; set; } = "/";
    public string Username { get; set; } = "guest";
    public string Password { get; set; } = "guest";
    /// <summary>How many messages each endpoint takes at once.</summary>
    public ushort PrefetchCount { get; set; } = 32;
    /// <summary>Retries of a failing message before it faults (and goes to the error queue).</summary>
    public int RetryLimit { get; set; } = 10;
    public TimeSpan RetryMaxInterval { get; set; } = TimeSpan.FromSeconds(10);
}

public static class MessagingSetup
{
    /// <summary>Marten on the shared event store, the committed-event relay and the async daemon.</summary>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression AddEventStore(this IServiceCollection services,
        IConfiguration configuration, string serviceName, string ownEventsNamespace, Action<StoreOptions>? configure)
    {
        var connectionString = configuration.GetConnectionString("Postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:Postgres is not configured.");
        var options = configuration.GetSection(EventStoreOptions.Section).Get<EventStoreOptions>() ?? new EventStoreOptions();
        if (options.DaemonFastPolling <= TimeSpan.Zero || options.DaemonSlowPolling <= TimeSpan.Zero)
            throw new InvalidOperationException("EventStore:DaemonFastPolling and EventStore:DaemonSlowPolling must be positive times.");
        services.AddSingleton(options);
        // Created by the container so that it is disposed with it: a stopped host closes its pooled connections.
        services.AddSingleton(_ => NpgsqlDataSource.Create(ServicesConnectionString(connectionString)));
        var relay = new EventRelayOptions(serviceName, ownEventsNamespace)
        {
            PublishTimeout = options.RelayPublishTimeout,
            MaxYield = options.RelayMaxYield,
        };
        services.AddSingleton(relay);
        services.AddSingleton<RelayYield>();
        services.AddHttpContextAccessor();

        var marten = services.AddMarten(store =>
            {
                store.DatabaseSchemaName = options.DocumentsSchema ?? $"{serviceName.Replace('-', '_')}_service";
                store.Events.DatabaseSchemaName = options.EventsSchema;
                store.Events.StreamIdentity = StreamIdentity.AsGuid;
                store.Events.MetadataConfig.EnableAll();
                store.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
                store.Projections.FastPollingTime = options.DaemonFastPolling;
                store.Projections.SlowPollingTime = options.DaemonSlowPolling;
                foreach (var eventType in ContractEventTypes.All) store.Events.AddEventType(eventType);
                store.Schema.For<ProcessedMessage>();
                store.Schema.For<OutboxMessage>().Index(m => m.InboxKey);
                store.Schema.For<ParkedEvent>();
                configure?.Invoke(store);
            })
            .UseNpgsqlDataSource()
            .BuildSessionsWith<AuditedSessionFactory>()
            .AddAsyncDaemon(options.DaemonMode)
            .ApplyAllDatabaseChangesOnStartup();
        // A subscription without event types would receive every service's events: relay only when there are own ones.
        if (relay.RelayedEventTypes.Any())
            marten.AddSubscriptionWithServices<EventRelaySubscription>(ServiceLifetime.Singleton);
        return marten;
    }

    /// <summary>
    /// The services' connection string, from the configured one. How their connections are set up:
    /// - a pooled connection is not reset (DISCARD ALL) when it goes back to the pool. The reset also discarded every
    ///   cached plan, so PostgreSQL planned again the statements inside Marten's append function and its foreign-key
    ///   checks at each use of a connection (eight resets per freeze request). Nothing here leaves session state on a
    ///   connection: locks are transaction-scoped, there are no SETs or temporary tables outside a transaction;
    /// - large JSON (an order or a round naming 100,000 victims, 20 MB) is compressed with LZ4 instead of pglz, which
    ///   took about 350 ms of the 800 ms that inserting such a round's event cost;
    /// - the statements a connection runs often (Marten's append, inserts and lookups, the inbox check: the same SQL text
    ///   each time) are prepared on it after five uses, so PostgreSQL stops parsing and planning them again: in
    ///   alternating intake runs its CPU for 10,000 freezes fell from 38-41 s to 26-27 s, and flat-out intake rose from
    ///   210-235 to 279-290 freezes/s (docs/benchmarks, finding 16). Up to <see cref="PreparedStatementsPerConnection"/>
    ///   per connection (Npgsql drops the least used); a connection string that sets Max Auto Prepare keeps its own
    ///   value (0 turns it off).
    /// </summary>
    public static string ServicesConnectionString(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true };
        builder.Options = $"{builder.Options} -c default_toast_compression=lz4".Trim();
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
            builder.MaxAutoPrepare = PreparedStatementsPerConnection;
        return builder.ConnectionString;
    }

    private const int PreparedStatementsPerConnection = 64;

    /// <summary>MassTransit on RabbitMQ with the durable PostgreSQL scheduler, retries and idempotent consumers.</summary>
    public static IServiceCollection AddBus(this IServiceCollection services, IConfiguration configuration, string serviceName,
        Action<IBusRegistrationConfigurator>? configure)
    {
        var rabbit = configuration.GetSection(RabbitMqOptions.Section).Get<RabbitMqOptions>() ?? new RabbitMqOptions();
        services.AddSingleton(rabbit);
        var scheduler = configuration.GetSection(SchedulerOptions.Section).Get<SchedulerOptions>() ?? new SchedulerOptions();
        services.AddSingleton(scheduler);
        services.AddSingleton<ScheduledMessageStore>();
        services.AddSingleton<ScheduledMessageSignal>();
        services.AddHostedService<ScheduledMessageDispatcher>();
        var schedulerAddress = new Uri($"queue:{scheduler.QueueName}");

        var endpointNames = new KebabCaseEndpointNameFormatter(serviceName, false);
        services.AddSingleton(provider => new InboxCheckPolicy(endpointNames, provider.GetServices<SagaEndpoint>()));

        services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(endpointNames);
            // Usage telemetry would try to reach masstransit.io at every start; these machines have no such way out.
            bus.ConfigureUsageTelemetryOptions(o => o.Enabled = false);
            bus.AddMessageScheduler(schedulerAddress);
            // One scheduler queue shared by all services, so each schedule is stored once.
            bus.AddConsumer<ScheduleMessageConsumer>().Endpoint(e => e.Name = scheduler.QueueName);
            configure?.Invoke(bus);

            bus.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(rabbit.Host, rabbit.Port, rabbit.VirtualHost, h =>
                {
                    h.Username(rabbit.Username);
                    h.Password(rabbit.Password);
                });
                cfg.PrefetchCount = rabbit.PrefetchCount;
                // MassTransit writes messages indented by default: for a 100,000-victim order or round that is megabytes of
                // spaces to write, send, store in RabbitMQ and read again. Its options are shared by every bus in the process
                // and fixed once used (several hosts in one test process): set before that. Replacing them with a copy
                // halved intake instead (docs/benchmarks, finding 14).
                cfg.ConfigureJsonSerializerOptions(options =>
                {
                    if (!options.IsReadOnly) options.WriteIndented = false;
                    return options;
                });
                cfg.UseMessageScheduler(schedulerAddress);
                // Concurrency conflicts (saga or stream) succeed on the first quick retries against fresh state;
                // an unreachable database or broker gets backed-off retries for about half a minute.
                cfg.UseMessageRetry(r => r.Exponential(rabbit.RetryLimit, TimeSpan.FromMilliseconds(20), rabbit.RetryMaxInterval,
                    TimeSpan.FromMilliseconds(100)));
                // Inbox and transactional outbox: a consumer's or saga's writes, what it sends, and the inbox record
                // commit together; the sends leave after that commit, so a losing or failed attempt leaves none behind.
                cfg.UseConsumeFilter(typeof(InboxOutboxFilter<>), context);
                cfg.ConfigureEndpoints(context);
            });
        });
        return services;
    }
}

/// <summary>Sessions that stamp the signed-in user on every event they append (the event's UserName metadata).</summary>
public sealed class AuditedSessionFactory(IDocumentStore store, IHttpContextAccessor http) : ISessionFactory
{
    public IQuerySession QuerySession() => store.QuerySession();

    public IDocumentSession OpenSession()
    {
        var session = store.LightweightSession();
        var user = http.HttpContext?.User;
        if (user?.Identity?.IsAuthenticated == true)
            session.LastModifiedBy = user.FindFirstValue("sub") ?? user.Identity.Name;
        return session;
    }
}
