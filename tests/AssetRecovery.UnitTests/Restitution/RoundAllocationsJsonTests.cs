using System.Text.Json;
using System.Text.Json.Nodes;
using AssetRecovery.BuildingBlocks;
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
        // Ids made one by one are listed; the one currency is written once.
        Assert.Equal(["PaymentIds", "Classes", "ClaimIds", "CreditorIds", "Payees", "Amounts", "Currency"], columns.Select(c => c.Key));
        Assert.All(columns.Where(c => c.Key != "Currency"), c => Assert.Equal(Allocations.Length, c.Value!.AsArray().Count));
        Assert.Equal([null, null, "treasury"], columns["CreditorIds"]!.AsArray().Select(x => x?.GetValue<string>()));
        Assert.Equal("CNY", columns["Currency"]!.GetValue<string>());

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
    public void A_rounds_consecutive_payment_ids_are_written_as_the_first_and_a_slice_of_them_says_how_many_it_skipped()
    {
        var ids = TimeOrderedIds.Consecutive(4, DateTimeOffset.UtcNow);
        var victims = ids.Select((id, i) => new RoundAllocation(id, PriorityClass.VictimLosses, Guid.NewGuid(), null, $"Victim {i}",
            new Money(10.05m + i, "CNY"))).ToList();

        var columns = JsonNode.Parse(JsonSerializer.Serialize(Round(victims)))!["Allocations"]!.AsObject();

        // No creditor: their column is left out.
        Assert.Equal(["PaymentIdsFrom", "Classes", "ClaimIds", "Payees", "Amounts", "Currency"], columns.Select(c => c.Key));
        Assert.Equal(ids[0], columns["PaymentIdsFrom"]!.GetValue<Guid>());
        Assert.Equal(victims, RoundAllocationsJson.Parse(columns.ToJsonString()));
        // Allocations 2 and 3 cut out of the columns, as a page is cut in SQL.
        foreach (var column in new[] { "Classes", "ClaimIds", "Payees", "Amounts" })
            columns[column] = new JsonArray(columns[column]!.AsArray().Skip(2).Select(x => x!.DeepClone()).ToArray());
        columns["PaymentIdsSkip"] = 2;
        Assert.Equal(victims[2..], RoundAllocationsJson.Parse(columns.ToJsonString()));
    }

    [Fact]
    public void Allocations_in_several_currencies_list_each_ones_currency()
    {
        RoundAllocation[] mixed = [Allocations[0], Allocations[1] with { Amount = new Money(3.50m, "USD") }];

        var columns = JsonNode.Parse(JsonSerializer.Serialize(Round(mixed)))!["Allocations"]!.AsObject();

        Assert.Equal(["CNY", "USD"], columns["Currencies"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Null(columns["Currency"]);
        Assert.Equal(mixed, RoundAllocationsJson.Parse(columns.ToJsonString()));
    }

    [Theory]
    [InlineData("Payees")] // a column shorter than the others
    [InlineData("PaymentIds")] // neither the ids nor the first of them
    [InlineData("Currency")] // neither the currencies nor the one currency
    public void Columns_that_do_not_give_every_allocation_in_full_are_refused(string cut)
    {
        var json = JsonNode.Parse(JsonSerializer.Serialize(Round(Allocations)))!.AsObject();
        var allocations = json["Allocations"]!.AsObject();
        if (allocations[cut] is JsonArray array) array.RemoveAt(0);
        else allocations.Remove(cut);
        if (cut == "PaymentIds") allocations.Remove(cut);

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<DistributionRoundPlanned>(json.ToJsonString()));
    }
}
