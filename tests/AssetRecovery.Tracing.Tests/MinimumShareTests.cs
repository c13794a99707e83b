using AssetRecovery.Tracing;

namespace AssetRecovery.Tracing.Tests;

/// <summary>A minimum share (pro rata, haircut, poison): crumbs of a victim's money below it leave the trail, amounts still conserve.</summary>
public class MinimumShareTests
{
    /// <summary>
    /// Minimum share 5.00. M1: A 90, B 10.
    /// T1 M1 → M2 40: A 36 goes on; B's share 4 is below 5, leaves the trail at M1, M2 gets it as own money. M1: A 54, B 6.
    /// T2 cash 30 at M1: A 27, B 3 withdrawn. M1: A 27, B 3; B's 3 is below 5, left the trail, stays as M1's own money.
    /// T3 M1 → M2 15 of A 27 + own 3: A 13.50 goes on, own 1.50. M1: A 13.50, own 1.50; M2: A 49.50, own 5.50.
    /// </summary>
    [Theory]
    [InlineData(AllocationRule.ProRata)]
    [InlineData(AllocationRule.Haircut)]
    [InlineData(AllocationRule.Poison)]
    public void Shares_below_the_minimum_leave_the_trail_where_they_are(AllocationRule rule)
    {
        var r = new TraceBuilder()
            .Pay("A", "M1", 90_00, "PA")
            .Pay("B", "M1", 10_00, "PB")
            .Transfer("M1", "M2", 40_00, "T1")
            .Cash("M1", 30_00, "T2")
            .Transfer("M1", "M2", 15_00, "T3")
            .Trace(rule, minimumShare: 5_00);

        Assert.Equal(13_50, r.Held("A", "M1"));
        Assert.Equal(49_50, r.Held("A", "M2"));
        Assert.Equal(27_00, r.Exited("A", ExitReason.CashWithdrawal));
        Assert.Equal(0, r.Exited("A", ExitReason.BelowMinimumShare));

        Assert.Empty(r.Victim("B").Holdings);
        Assert.Equal(3_00, r.Exited("B", ExitReason.CashWithdrawal));
        Assert.Equal(
            [new TrailExit(ExitReason.BelowMinimumShare, "M1", "T1", 4_00, ResultExtensions.Path(["PB"], ["M1"])),
             new TrailExit(ExitReason.BelowMinimumShare, "M1", "T2", 3_00, ResultExtensions.Path(["PB"], ["M1"]))],
            r.Victim("B").Exits.Where(e => e.Reason == ExitReason.BelowMinimumShare));

        var m2 = r.Accounts.Single(a => a.Account == "M2");
        Assert.Equal((55_00, 49_50), (m2.BalanceMinor, m2.TracedMinor));
        var m1 = r.Accounts.Single(a => a.Account == "M1");
        Assert.Equal((15_00, 13_50), (m1.BalanceMinor, m1.TracedMinor));
    }

    /// <summary>
    /// Four victims and no own money yet (the account's fifth source is the holder's, made by the crumb). Cash 50 of 100:
    /// A 20, B 15, C 14, D 1 out; D's 1 left is below 5, so M1 holds 49 of A, B and C and 1 of the holder's.
    /// </summary>
    [Fact]
    public void A_crumb_turns_into_the_holders_money_even_when_it_is_the_first_own_money_there()
    {
        var r = new TraceBuilder()
            .Pay("A", "M1", 40_00)
            .Pay("B", "M1", 30_00)
            .Pay("C", "M1", 28_00)
            .Pay("D", "M1", 2_00)
            .Cash("M1", 50_00)
            .Trace(AllocationRule.ProRata, minimumShare: 5_00);

        Assert.Equal([20_00, 15_00, 14_00], new[] { "A", "B", "C" }.Select(v => r.Held(v, "M1")));
        Assert.Equal((1_00, 1_00), (r.Exited("D", ExitReason.CashWithdrawal), r.Exited("D", ExitReason.BelowMinimumShare)));
        var m1 = r.Accounts.Single();
        Assert.Equal((50_00, 49_00), (m1.BalanceMinor, m1.TracedMinor));
    }

    [Fact]
    public void Without_a_minimum_every_minor_unit_is_followed()
    {
        var r = new TraceBuilder()
            .Pay("A", "M1", 90_00)
            .Pay("B", "M1", 10_00)
            .Transfer("M1", "M2", 40_00)
            .Cash("M1", 30_00)
            .Trace(AllocationRule.ProRata);

        Assert.Equal(4_00, r.Held("B", "M2"));
        Assert.Equal(3_00, r.Held("B", "M1"));
        Assert.DoesNotContain(r.Victims.SelectMany(v => v.ExitTotals), e => e.Reason == ExitReason.BelowMinimumShare);
    }

    /// <summary>
    /// The floor is on a victim's share of the transfer, not on each piece of it. M1: A 1 + 1 + 1 by three payments, own 1.
    /// T takes 2: A's share 1.50 (P1's 1, then 0.50 of P2's, earliest first), each piece below 1.20, the share above it.
    /// </summary>
    [Fact]
    public void The_minimum_applies_to_a_victims_whole_share_not_to_each_path()
    {
        var r = new TraceBuilder()
            .Pay("A", "M1", 1_00, "P1")
            .Pay("A", "M1", 1_00, "P2")
            .Pay("A", "M1", 1_00, "P3")
            .Deposit("M1", 1_00)
            .Transfer("M1", "M2", 2_00, "T")
            .Trace(AllocationRule.ProRata, minimumShare: 1_20);

        var atM2 = Assert.Single(r.Victim("A").Holdings, h => h.Account == "M2");
        Assert.Equal([1_00, 50], atM2.Shares.Select(s => s.AmountMinor));
        // Left at M1: 1.50, above the minimum, so still A's.
        Assert.Equal(1_50, r.Held("A", "M1"));
        Assert.DoesNotContain(r.Victim("A").ExitTotals, e => e.Reason == ExitReason.BelowMinimumShare);
    }

    [Theory]
    [InlineData(AllocationRule.Fifo)]
    [InlineData(AllocationRule.Lifo)]
    [InlineData(AllocationRule.Libr)]
    public void Rules_that_do_not_share_outflows_take_no_minimum(AllocationRule rule)
    {
        var request = new TraceBuilder().Pay("A", "M1", 10_00).Request(rule, minimumShare: 1_00);
        var error = Assert.Throws<ArgumentException>(() => TraceEngine.Trace(request));
        Assert.Contains("minimum share", error.Message);
    }

    [Fact]
    public void A_negative_minimum_is_refused()
    {
        var request = new TraceBuilder().Pay("A", "M1", 10_00).Request(AllocationRule.ProRata, minimumShare: -1);
        Assert.Throws<ArgumentException>(() => TraceEngine.Trace(request));
    }

    [Fact]
    public void The_minimum_is_part_of_the_digest_only_when_there_is_one()
    {
        var builder = new TraceBuilder().Pay("A", "M1", 10_00).Transfer("M1", "M2", 5_00);
        var none = TraceDigest.Compute(builder.Request(AllocationRule.ProRata));
        Assert.Equal(none, TraceDigest.Compute(builder.Request(AllocationRule.ProRata, minimumShare: 0)));
        Assert.NotEqual(none, TraceDigest.Compute(builder.Request(AllocationRule.ProRata, minimumShare: 1)));
        Assert.NotEqual(TraceDigest.Compute(builder.Request(AllocationRule.ProRata, minimumShare: 1)),
            TraceDigest.Compute(builder.Request(AllocationRule.ProRata, minimumShare: 2)));
    }
}
