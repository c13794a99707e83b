using AssetRecovery.Messaging;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AssetRecovery.UnitTests;

public class EventStoreSettingsTests
{
    private static IServiceCollection EventStore(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
            settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))
                .Append(new("ConnectionStrings:Postgres", "Host=db;Database=assetrecovery;Username=app"))).Build();
        var services = new ServiceCollection();
        // A namespace without events: no relay, so no bus is needed to build the store.
        services.AddEventStore(configuration, "freeze", typeof(EventStoreSettingsTests).Namespace!, null);
        return services;
    }

    [Fact]
    public void The_daemon_looks_for_new_events_every_100_ms_unless_configured_otherwise()
    {
        using var byDefault = EventStore().BuildServiceProvider();
        var options = byDefault.GetRequiredService<StoreOptions>().Projections;
        Assert.Equal((TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100)), (options.FastPollingTime, options.SlowPollingTime));

        using var configured = EventStore(("EventStore:DaemonFastPolling", "00:00:00.050"), ("EventStore:DaemonSlowPolling", "00:00:01")).BuildServiceProvider();
        options = configured.GetRequiredService<StoreOptions>().Projections;
        Assert.Equal((TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1)), (options.FastPollingTime, options.SlowPollingTime));
    }

    [Theory]
    [InlineData("EventStore:DaemonFastPolling")]
    [InlineData("EventStore:DaemonSlowPolling")]
    public void A_polling_time_of_zero_is_refused_at_start(string setting)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => EventStore((setting, "00:00:00")));
        Assert.Contains("must be positive", refused.Message);
    }
}
