using AssetRecovery.Contracts.Restitution;
using AssetRecovery.Restitution.Claimants;
using AssetRecovery.Restitution.Distribution;
using AssetRecovery.Restitution.Ledger;
using AssetRecovery.Restitution.Orders;
using AssetRecovery.Restitution.Payments;
using AssetRecovery.Restitution.Workflow.CaseRecovery;
using AssetRecovery.Restitution.PreTrialReturns;
using AssetRecovery.Restitution.PreTrialReturns.Workflow;
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
            store.Projections.Add(new CaseLedgerProjection(), ProjectionLifecycle.Async);
            // Tables of their own: the documents before victims moved out were built by the projection's first version.
            store.Schema.For<CaseLedger>().DocumentAlias("case_ledger");
            store.Schema.For<LedgerVictim>().DocumentAlias("case_ledger_victim").Index(v => v.CaseNumber);
            store.Projections.Snapshot<RestitutionOrder>(SnapshotLifecycle.Inline);
            store.Storage.ExtendedSchemaObjects.Add(OrderVictimRows.Table(store.DatabaseSchemaName));
            store.Projections.Add<OrderVictimRowsProjection>(ProjectionLifecycle.Inline);
            store.Projections.Snapshot<CaseDistribution>(SnapshotLifecycle.Inline);
            store.Projections.Snapshot<Payment>(SnapshotLifecycle.Inline);
            // A case's payments, and those of one status: whether any of a 100,000-payment case is unconfirmed is then
            // found in the index, not by reading every confirmed one (docs/benchmarks, finding 31).
            store.Schema.For<Payment>().Index([p => p.CaseNumber, p => p.Status]);
            store.Schema.For<Claimant>().UseOptimisticConcurrency(true);
            // Pre-trial returns of frozen funds.
            store.Projections.Snapshot<PreTrialReturn>(SnapshotLifecycle.Inline);
            store.Schema.For<PreTrialReturn>().Index(r => r.CaseNumber);
            store.Schema.For<CaseTrace>();
        },
        ConfigureBus = bus =>
        {
            bus.AddConsumer<ClaimantConsumer>();
            bus.AddConsumer<FundRoundConsumer>();
            bus.AddConsumer<RoundFundingConsumer>();
            bus.AddSagaStateMachine<CaseRecoveryStateMachine, CaseRecoveryState>().MartenRepository();
            bus.AddConsumer<ReviewCaseRecoveryConsumer>();
            // Pre-trial returns of frozen funds: the latest trace per case, the saga's deadlines, the freeze's answers.
            bus.AddConsumer<CaseTraceConsumer>();
            bus.AddConsumer<PreTrialReturnConsumer>();
            bus.AddSagaStateMachine<PreTrialReturnStateMachine, PreTrialReturnSagaState>().MartenRepository();
        },
        ConfigureServices = (services, configuration) =>
        {
            services.AddOptions<DistributionOptions>().Bind(configuration.GetSection(DistributionOptions.Section))
                .Validate(o => o.PaymentsPerMessage > 0, $"{DistributionOptions.Section}:PaymentsPerMessage must be 1 or more.")
                .Validate(o => o.AllocationsPerEvent > 0, $"{DistributionOptions.Section}:AllocationsPerEvent must be 1 or more.").ValidateOnStart();
            services.AddOptions<OrderOptions>().Bind(configuration.GetSection(OrderOptions.Section))
                .Validate(o => o.VictimsPerEvent > 0, $"{OrderOptions.Section}:VictimsPerEvent must be 1 or more.").ValidateOnStart();
            services.AddHostedService<OrderVictimRowsBackfill>();
        },
    };

    private RestitutionService() { }
}
