using AssetRecovery.Contracts.Restitution;
using AssetRecovery.Messaging.Relay;

namespace AssetRecovery.UnitTests.Restitution;

/// <summary>What restitution's relay publishes: its own events, less those kept in the store only.</summary>
public sealed class RelayedEventTypesTests
{
    [Fact]
    public void A_rounds_allocations_stay_in_the_store_and_its_funding_request_and_an_orders_victims_are_relayed()
    {
        var relayed = new EventRelayOptions("restitution", typeof(DistributionRoundPlanned).Namespace!).RelayedEventTypes.ToList();
        Assert.DoesNotContain(typeof(DistributionRoundPlanned), relayed);
        Assert.DoesNotContain(typeof(DistributionRoundAllocationsListed), relayed);
        Assert.Contains(typeof(DistributionRoundFundingRequested), relayed);
        Assert.Contains(typeof(RestitutionOrderVictimsListed), relayed);
        Assert.Contains(typeof(PaymentConfirmed), relayed);
    }
}
