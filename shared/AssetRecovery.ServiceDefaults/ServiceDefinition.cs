using Marten;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AssetRecovery.ServiceDefaults;

/// <summary>What one service tells the shared host wiring about itself.</summary>
public sealed class ServiceDefinition
{
    /// <summary>Short name, e.g. "freeze": names its document schema, queues and telemetry.</summary>
    public required string Name { get; init; }

    /// <summary>Namespace of the contract events this service writes; only these are relayed to the broker by this service.</summary>
    public required string OwnEventsNamespace { get; init; }

    public string Title => $"AssetRecovery {Name} service";

    /// <summary>Projections, document types and indexes of the service.</summary>
    public Action<StoreOptions>? ConfigureMarten { get; init; }

    /// <summary>Consumers and sagas of the service.</summary>
    public Action<IBusRegistrationConfigurator>? ConfigureBus { get; init; }

    /// <summary>The service's own options and services.</summary>
    public Action<IServiceCollection, IConfiguration>? ConfigureServices { get; init; }
}
