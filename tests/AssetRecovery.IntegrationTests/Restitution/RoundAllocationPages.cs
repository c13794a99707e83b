using AssetRecovery.Clients.Restitution;
using AssetRecovery.Contracts.Restitution;
using AssetRecovery.IntegrationTests.Infrastructure;

namespace AssetRecovery.IntegrationTests.Restitution;

public static class RoundAllocationPages
{
    /// <summary>Every allocation of a round, page after page, in the split's order.</summary>
    public static async Task<List<RoundAllocation>> AllocationsAsync(this IRestitutionApi api, string caseNumber, Guid roundId, int pageSize = 500)
    {
        var all = new List<RoundAllocation>();
        for (var page = 1; ; page++)
        {
            var response = await api.ListRoundAllocationsAsync(caseNumber, roundId, page, pageSize);
            Assert.True(response.IsSuccessStatusCode, response.ErrorContent());
            all.AddRange(response.Content!.Items);
            if (all.Count >= response.Content.Total || response.Content.Items.Count == 0) return all;
        }
    }
}
