using System.Text.Json;
using System.Text.Json.Nodes;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Restitution;

namespace AssetRecovery.UnitTests.Restitution;

public class RoundAllocationsJsonTests
{
    private static readonly RoundAllocation[] Allocations =
    [
        new(Guid.CreateVersion7(), PriorityClass.VictimLosses, Guid.NewGuid(), null, "Li Hua", new Money(600.10m, "CNY")),
        new(Guid.CreateVersion7(), PriorityClass.VictimLosses, Guid.NewGuid(), null, "Wang Wei", new Money(0.01m, "CNY")),
        new(Guid.CreateVersion7(), PriorityClass.Confiscation, null, "treasury", "State treasury", new Money(1000m, "CNY")),
    ];

    private static DistributionRoundPlanned Round(IReadOnlyList<RoundAllocation> allocations) =>
        new(Guid.NewGuid(), "C-1", Guid.NewGuid(), 2, DistributionPolicy.ProRata, new Money(2000m, "CNY"), new Money(1600.11m, "CNY"),
            allocations, "R-1", new Actor("inv-1", "Investigator One", "Investigator"), DateTimeOffset.UtcNow);

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // MassTransit's messages name properties in camel case
    public void A_rounds_allocations_are_written_as_columns_and_read_back_unchanged(bool camelCase)
    {
        var options = new JsonSerializerOptions { PropertyNamingPolicy = camelCase ? JsonNamingPolicy.CamelCase : null };
        var json = JsonSerializer.Serialize(Round(Allocations), options);

        var columns = JsonNode.Parse(json)![camelCase ? "allocations" : "Allocations"]!.AsObject();
        Assert.Equal(RoundAllocationsJson.Columns, columns.Select(c => c.Key));
        Assert.All(columns, c => Assert.Equal(Allocations.Length, c.Value!.AsArray().Count));
        Assert.Equal([null, null, "treasury"], columns["CreditorIds"]!.AsArray().Select(x => x?.GetValue<string>()));

        var read = JsonSerializer.Deserialize<DistributionRoundPlanned>(json, options)!.Allocations;
        Assert.Equal(Allocations, read);
        // Amounts keep their scale: 600.10 stays 600.10, as the ledger and the payments show it.
        Assert.Equal(Allocations.Select(a => a.Amount.Amount.ToString()), read.Select(a => a.Amount.Amount.ToString()));
    }

    [Fact]
    public void A_round_recorded_as_one_object_per_allocation_reads_the_same()
    {
        var before = JsonNode.Parse(JsonSerializer.Serialize(Round(Allocations)))!.AsObject();
        before["Allocations"] = JsonSerializer.SerializeToNode(Allocations.ToList());

        var read = JsonSerializer.Deserialize<DistributionRoundPlanned>(before.ToJsonString())!.Allocations;

        Assert.Equal(Allocations, read);
        Assert.Equal(Allocations, RoundAllocationsJson.Parse(before["Allocations"]!.ToJsonString()));
    }

    [Fact]
    public void Columns_of_different_lengths_are_refused()
    {
        var json = JsonNode.Parse(JsonSerializer.Serialize(Round(Allocations)))!.AsObject();
        json["Allocations"]!["Payees"]!.AsArray().RemoveAt(0);

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<DistributionRoundPlanned>(json.ToJsonString()));
    }
}
