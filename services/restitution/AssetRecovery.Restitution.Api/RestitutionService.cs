using AssetRecovery.Contracts.Restitution;
using AssetRecovery.Restitution.Claimants;
using AssetRecovery.Restitution.Distribution;
using AssetRecovery.Restitution.Ledger;
using AssetRecovery.Restitution.Orders;
using AssetRecovery.Restitution.Payments;
using AssetRecovery.Restitution.Workflow.CaseRecovery;
using AssetRecovery.Messaging.Sagas;
using AssetRecovery.ServiceDefaults;
using JasperFx.Events.Projections;

namespace AssetRecovery.Restitution;

/// <summary>The restitution service: court orders, distribution rounds and payments to victims, and the case ledger.</summary>
public sealed class RestitutionService
{
    public static readonly ServiceDefinition Definition = new()
    {
        Name = "restitution",
        OwnEventsNamespace = typeof(RestitutionOrderRecorded).Namespace!,
        ConfigureMarten = store =>
        {
            store.Projections.Add<CaseLedgerProjection>(ProjectionLifecycle.Async);
            store.Projections.Snapshot<RestitutionOrder>(SnapshotLifecycle.Inline);
            store.Projections.Snapshot<CaseDistribution>(SnapshotLifecycle.Inline);
            store.Projections.Snapshot<Payment>(SnapshotLifecycle.Inline);
            store.Schema.For<Payment>().Index(p => p.CaseNumber);
            store.Schema.For<Claimant>().UseOptimisticConcurrency(true);
        },
        ConfigureBus = bus =>
        {
            bus.AddConsumer<ClaimantConsumer>();
            bus.AddConsumer<FundRoundConsumer>();
            bus.AddConsumer<RoundFundingConsumer>();
            bus.AddSagaStateMachine<CaseRecoveryStateMachine, CaseRecoveryState>().MartenRepository();
            bus.AddConsumer<ReviewCaseRecoveryConsumer>();
        },
    };

    private RestitutionService() { }
}
