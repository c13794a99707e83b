using AssetRecovery.Contracts.Restitution;
using AssetRecovery.Restitution.Distribution;

namespace AssetRecovery.UnitTests.Restitution;

/// <summary>The distribution rules with figures worked by hand (amounts in fen).</summary>
public sealed class DistributionCalculatorTests
{
    private static Payee Victim(string key, long loss, long elsewhere = 0, long allocated = 0) =>
        new(key, PriorityClass.VictimLosses, loss, elsewhere, allocated);

    private static Payee Creditor(string key, PriorityClass @class, long amount, long allocated = 0) => new(key, @class, amount, 0, allocated);

    private static Dictionary<string, long> Split(long amount, DistributionPolicy policy, params Payee[] payees) =>
        DistributionCalculator.Split(amount, payees, policy).ToDictionary(p => p.Payee.Key, p => p.AmountMinor);

    [Fact]
    public void Worked_example_pro_rata_on_net_loss()
    {
        // domain-rules.md: A and B each lost 100; A recovered 40 elsewhere; 60 to share → A 22.50, B 37.50.
        var parts = Split(60_00, DistributionPolicy.ProRata, Victim("A", 100_00, elsewhere: 40_00), Victim("B", 100_00));
        Assert.Equal(new Dictionary<string, long> { ["A"] = 22_50, ["B"] = 37_50 }, parts);
    }

    [Fact]
    public void Worked_example_rising_tide()
    {
        // Level L with 100L − 40 + 100L = 60 → L = 0.5: A is brought from 40 to 50, B from 0 to 50.
        var parts = Split(60_00, DistributionPolicy.RisingTide, Victim("A", 100_00, elsewhere: 40_00), Victim("B", 100_00));
        Assert.Equal(new Dictionary<string, long> { ["A"] = 10_00, ["B"] = 50_00 }, parts);
    }

    [Fact]
    public void Rising_tide_leaves_out_a_victim_already_above_the_level()
    {
        // A has 80 of 100 already; 30 to share: B alone reaches 30% (< 80%), so A gets nothing.
        var parts = Split(30_00, DistributionPolicy.RisingTide, Victim("A", 100_00, elsewhere: 80_00), Victim("B", 100_00));
        Assert.Equal(new Dictionary<string, long> { ["B"] = 30_00 }, parts);
    }

    [Fact]
    public void Rising_tide_rounds_exactly_with_the_spare_fen_to_the_largest_remainder()
    {
        // 1.00 among three equal losses with nothing recovered: 33.33… each; the spare fen goes to the first listed.
        var parts = Split(1_00, DistributionPolicy.RisingTide, Victim("A", 10_00), Victim("B", 10_00), Victim("C", 10_00));
        Assert.Equal([34, 33, 33], new[] { "A", "B", "C" }.Select(k => parts[k]));
    }

    [Fact]
    public void Classes_are_paid_in_the_legal_order_each_in_full_before_the_next()
    {
        // 1,000.00: medical costs 300.00 first, then the victims' 900.00 get only 700.00 (pro rata 7/9),
        // and civil debts, fines and confiscation nothing.
        var parts = Split(1_000_00, DistributionPolicy.ProRata,
            Creditor("fine", PriorityClass.Fines, 50_00),
            Victim("A", 600_00),
            Creditor("hospital", PriorityClass.MedicalCosts, 300_00),
            Victim("B", 300_00),
            Creditor("lender", PriorityClass.OtherCivilDebts, 100_00));
        Assert.Equal(new Dictionary<string, long> { ["hospital"] = 300_00, ["A"] = 466_67, ["B"] = 233_33 }, parts);
        Assert.Equal(1_000_00, parts.Values.Sum());
    }

    [Fact]
    public void Money_beyond_everything_due_is_not_distributed_and_nobody_is_paid_past_their_loss()
    {
        var parts = Split(10_000_00, DistributionPolicy.ProRata, Victim("A", 600_00, allocated: 500_00), Victim("B", 300_00),
            Creditor("fine", PriorityClass.Fines, 50_00), Creditor("state", PriorityClass.Confiscation, 1_000_00));
        Assert.Equal(new Dictionary<string, long> { ["A"] = 100_00, ["B"] = 300_00, ["fine"] = 50_00, ["state"] = 1_000_00 }, parts);
    }

    [Fact]
    public void A_second_round_continues_pro_rata_on_what_is_still_due()
    {
        // Round one paid A 22.50 and B 37.50 (the worked example); round two of 40.00 on outstanding 37.50 : 62.50.
        var parts = Split(40_00, DistributionPolicy.ProRata, Victim("A", 100_00, elsewhere: 40_00, allocated: 22_50),
            Victim("B", 100_00, allocated: 37_50));
        Assert.Equal(new Dictionary<string, long> { ["A"] = 15_00, ["B"] = 25_00 }, parts);
    }

    [Fact]
    public void Odd_amounts_split_exactly()
    {
        // 100.01 over 1 : 1 : 1 → 33.34, 33.34, 33.33 (two spare fen, to the first two listed).
        var parts = Split(100_01, DistributionPolicy.ProRata, Victim("A", 1_000_00), Victim("B", 1_000_00), Victim("C", 1_000_00));
        Assert.Equal([33_34, 33_34, 33_33], new[] { "A", "B", "C" }.Select(k => parts[k]));
    }
}
