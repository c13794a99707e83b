using AssetRecovery.Freeze;
using AssetRecovery.Restitution;
using AssetRecovery.Seizure;
using AssetRecovery.VictimClaim;

namespace AssetRecovery.IntegrationTests.Infrastructure;

/// <summary>A test class that runs against all four services of one isolated system, started anew for each test.</summary>
public abstract class AllServicesTest(Infrastructure infrastructure) : IAsyncLifetime
{
    protected TestSystem System { get; private set; } = null!;
    protected ServiceHost<FreezeService> FreezeHost { get; private set; } = null!;
    protected ServiceHost<SeizureService> SeizureHost { get; private set; } = null!;
    protected ServiceHost<RestitutionService> RestitutionHost { get; private set; } = null!;
    protected ServiceHost<VictimClaimService> ClaimsHost { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        System = await TestSystem.StartAsync(infrastructure);
        FreezeHost = System.Start<FreezeService>("freeze");
        SeizureHost = System.Start<SeizureService>("seizure");
        // Two payments per message and allocations per event, one victim per event: the rounds of these cases (two to
        // four payees) are instructed in pages and listed in parts, and their orders' victims listed in parts, as large
        // ones are.
        RestitutionHost = System.Start<RestitutionService>("restitution", new Dictionary<string, string?>
        {
            ["Distribution:PaymentsPerMessage"] = "2", ["Distribution:AllocationsPerEvent"] = "2", ["Orders:VictimsPerEvent"] = "1",
        });
        ClaimsHost = System.Start<VictimClaimService>("victim-claim");
    }

    public async Task DisposeAsync() => await System.DisposeAsync();
}
