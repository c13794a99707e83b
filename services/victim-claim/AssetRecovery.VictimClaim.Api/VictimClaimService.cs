using AssetRecovery.ServiceDefaults;
using AssetRecovery.VictimClaim.Cases;

namespace AssetRecovery.VictimClaim;

/// <summary>The victim-claim service: victims' claims, their verification, and the victims' portal.</summary>
public sealed class VictimClaimService
{
    public static readonly ServiceDefinition Definition = new()
    {
        Name = "victim-claim",
        OwnEventsNamespace = "AssetRecovery.Contracts.VictimClaim",
        ConfigureMarten = store => store.Schema.For<CaseInterception>().UseOptimisticConcurrency(true),
        ConfigureBus = bus => bus.AddConsumer<FreezeExecutedConsumer>(),
    };

    private VictimClaimService() { }
}
