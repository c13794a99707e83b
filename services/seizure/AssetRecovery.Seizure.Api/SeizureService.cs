using AssetRecovery.Seizure.Custody;
using AssetRecovery.ServiceDefaults;

namespace AssetRecovery.Seizure;

/// <summary>The seizure service: custody of frozen funds and of other assets.</summary>
public sealed class SeizureService
{
    public static readonly ServiceDefinition Definition = new()
    {
        Name = "seizure",
        OwnEventsNamespace = "AssetRecovery.Contracts.Seizure",
        ConfigureMarten = store => store.Schema.For<FrozenFunds>().Index(f => f.CaseNumber),
        ConfigureBus = bus => bus.AddConsumer<FreezeExecutedConsumer>(),
    };

    private SeizureService() { }
}
