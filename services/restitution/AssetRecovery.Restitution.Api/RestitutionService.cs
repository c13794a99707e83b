using AssetRecovery.Restitution.Ledger;
using AssetRecovery.ServiceDefaults;
using JasperFx.Events.Projections;

namespace AssetRecovery.Restitution;

/// <summary>The restitution service: court orders, returns to victims, and the case ledger.</summary>
public sealed class RestitutionService
{
    public static readonly ServiceDefinition Definition = new()
    {
        Name = "restitution",
        OwnEventsNamespace = "AssetRecovery.Contracts.Restitution",
        ConfigureMarten = store => store.Projections.Add<CaseLedgerProjection>(ProjectionLifecycle.Async),
    };

    private RestitutionService() { }
}
