using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Freeze.Domain;
using AssetRecovery.Freeze.Features;
using AssetRecovery.Freeze.Features.Batches;
using AssetRecovery.Freeze.Features.Tracing;
using AssetRecovery.Freeze.Workflow;
using AssetRecovery.Messaging.Sagas;
using AssetRecovery.ServiceDefaults;
using JasperFx.Events.Projections;

namespace AssetRecovery.Freeze;

/// <summary>The freeze service: stop-payments and freezes, bank results, and their deadlines.</summary>
public sealed class FreezeService
{
    public static readonly ServiceDefinition Definition = new()
    {
        Name = "freeze",
        OwnEventsNamespace = typeof(FreezeRequested).Namespace!,
        ConfigureMarten = store =>
        {
            store.Projections.Snapshot<Domain.Freeze>(SnapshotLifecycle.Inline);
            store.Projections.Snapshot<AccountHolds>(SnapshotLifecycle.Inline);
            store.Schema.For<Domain.Freeze>()
                .Index(f => f.CaseNumber).Index(f => f.AccountNumber).Index(f => f.ExpiresAt).Index(f => f.AcknowledgementDueAt);
            store.Schema.For<FreezeBatch>();
            store.Schema.For<FreezeBatchRow>().Index(r => r.BatchId).Index(r => r.RowNumber);
            store.Schema.For<CaseTransaction>().Index(t => t.CaseNumber);
            store.Schema.For<CaseTrace>().Index(t => t.CaseNumber);
            store.Schema.For<CaseClaimant>().Index(c => c.CaseNumber);
        },
        ConfigureBus = bus =>
        {
            bus.AddSagaStateMachine<FreezeStateMachine, FreezeSagaState>().MartenRepository();
            bus.AddConsumer<FreezeWorkflowCommandsConsumer>();
            bus.AddConsumer<HandOverFrozenFundsConsumer>();
            bus.AddConsumer<ReturnFrozenFundsConsumer>();
            bus.AddConsumer<ProcessFreezeBatchConsumer>();
            bus.AddConsumer<RunTraceConsumer>();
            bus.AddConsumer<CaseClaimantsConsumer>();
        },
        ConfigureServices = (services, configuration) =>
        {
            services.Configure<FreezeOptions>(configuration.GetSection(FreezeOptions.Section));
            services.AddSingleton<BankAccountRules>();
            services.AddSingleton<FreezeLifecycle>();
        },
    };

    private FreezeService() { }
}
