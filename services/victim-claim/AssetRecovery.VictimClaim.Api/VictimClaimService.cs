using AssetRecovery.Contracts.VictimClaim;
using AssetRecovery.ServiceDefaults;
using AssetRecovery.VictimClaim.Cases;
using AssetRecovery.VictimClaim.Domain;
using AssetRecovery.VictimClaim.Notifications;
using AssetRecovery.VictimClaim.Portal;
using JasperFx.Events.Projections;

namespace AssetRecovery.VictimClaim;

/// <summary>The victim-claim service: victims' claims, their verification, and the victims' portal.</summary>
public sealed class VictimClaimService
{
    public static readonly ServiceDefinition Definition = new()
    {
        Name = "victim-claim",
        OwnEventsNamespace = typeof(ClaimFiled).Namespace!,
        ConfigureMarten = store =>
        {
            store.Projections.Snapshot<Claim>(SnapshotLifecycle.Inline);
            store.Schema.For<Claim>().Index(c => c.VictimSubject).Index(c => c.CaseNumber).Index(c => c.FiledAt);
            store.Schema.For<InterceptedHold>().UseOptimisticConcurrency(true).Index(h => h.CaseNumber);
            store.Schema.For<CaseTracing>().UseOptimisticConcurrency(true);
            store.Schema.For<CaseRestitution>().UseOptimisticConcurrency(true);
            store.Schema.For<OrderVictimsPart>().Index(p => p.CaseNumber);
            store.Schema.For<ClaimPayment>().Index(p => p.CaseNumber).Index(p => p.ClaimId);
            store.Schema.For<NotifiedMoneyTrail>().UseOptimisticConcurrency(true);
            store.Schema.For<CaseVictimsTold>().UseOptimisticConcurrency(true);
            store.Schema.For<VictimNotification>().Index(n => n.ClaimId).Index(n => n.CreatedAt);
        },
        ConfigureBus = bus =>
        {
            // A freeze event changes its freeze's own document, and in a case with claims the victims' notification
            // records: a case's events go one at a time, different cases side by side.
            bus.AddConsumer<CaseInterceptionConsumer>((_, consumer) => CaseInterceptionConsumer.OneCaseAtATime(consumer))
                .Endpoint(e => e.ConcurrentMessageLimit = CaseInterceptionConsumer.CasesAtOnce);
            bus.AddConsumer<CaseTracingConsumer>();
            bus.AddConsumer<CaseRestitutionConsumer>().Endpoint(e => e.ConcurrentMessageLimit = 1);
        },
        ConfigureServices = (services, configuration) =>
        {
            services.Configure<NotificationOptions>(configuration.GetSection(NotificationOptions.Section));
            NotificationOptions.AddChannel(services, configuration);
            services.AddHostedService<NotificationDispatcher>();
            services.Configure<PortalOptions>(configuration.GetSection(PortalOptions.Section));
        },
    };

    private VictimClaimService() { }
}
