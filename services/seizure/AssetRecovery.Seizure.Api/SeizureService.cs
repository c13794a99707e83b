using AssetRecovery.Seizure.Custody;
using AssetRecovery.Seizure.Domain;
using AssetRecovery.Seizure.Features;
using AssetRecovery.Seizure.Workflow.SeizureOfFrozenFunds;
using AssetRecovery.Messaging.Sagas;
using AssetRecovery.ServiceDefaults;
using JasperFx.Events.Projections;

namespace AssetRecovery.Seizure;

/// <summary>The seizure service: custody of frozen funds and of other assets, and each case's recovery pool.</summary>
public sealed class SeizureService
{
    public static readonly ServiceDefinition Definition = new()
    {
        Name = "seizure",
        OwnEventsNamespace = "AssetRecovery.Contracts.Seizure",
        ConfigureMarten = store =>
        {
            store.Projections.Snapshot<FrozenFundsSeizure>(SnapshotLifecycle.Inline);
            store.Projections.Snapshot<SeizedAsset>(SnapshotLifecycle.Inline);
            store.Projections.Snapshot<RecoveryPool>(SnapshotLifecycle.Inline);
            // Seizures of the same freeze reserve on this document: the second writer of a version conflicts.
            store.Schema.For<FrozenFunds>().Index(f => f.CaseNumber).UseOptimisticConcurrency(true);
            store.Schema.For<FrozenFundsSeizure>().Index(s => s.CaseNumber);
            store.Schema.For<SeizedAsset>().Index(a => a.CaseNumber).Index(a => a.Type);
        },
        ConfigureBus = bus =>
        {
            bus.AddSagaStateMachine<FrozenFundsSeizureStateMachine, FrozenFundsSeizureState>().MartenRepository();
            bus.AddConsumer<FreezeEventsConsumer>();
            bus.AddConsumer<DebitRecoveryPoolConsumer>();
        },
        ConfigureServices = (services, configuration) =>
        {
            services.AddSingleton<SeizureLifecycle>();
            services.Configure<SeizureWorkflowOptions>(configuration.GetSection(SeizureWorkflowOptions.Section));
        },
    };

    private SeizureService() { }
}
