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
            store.Schema.For<NotifiedMoneyTrail>().UseOptimisticConcurrency(true);
            store.Schema.For<VictimNotification>().Index(n => n.ClaimId).Index(n => n.CreatedAt);
        },
        ConfigureBus = bus =>
        {
            // A freeze event changes its freeze's own document, and in a case with claims the victims' notification
            // records: 8 events of one case at a time conflicted on those records, and the retries' back-off held a
            // victim's figure for over 30 s in CI. So a case's events go one at a time (a partition per case would let
            // different cases go side by side). With one document per case rewritten whole, 32 at once sent over a
            // thousand events to the error queue.
            bus.AddConsumer<CaseInterceptionConsumer>().Endpoint(e => e.ConcurrentMessageLimit = 1);
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
