using AssetRecovery.Tracing;

namespace AssetRecovery.Tracing.Tests;

/// <summary>domain-rules.md: A pays 100 into M, then B pays 50, then 120 leaves; 30 remains.</summary>
public class WorkedExampleTests
{
    private static TraceResult Run(AllocationRule rule) =>
        new TraceBuilder()
            .Pay("A", "M", 100_00, "PA")
            .Pay("B", "M", 50_00, "PB")
            .Cash("M", 120_00, "W")
            .Trace(rule);

    [Fact]
    public void Fifo_takes_A_first()
    {
        var r = Run(AllocationRule.Fifo);
        Assert.Equal(0, r.Held("A", "M"));
        Assert.Equal(30_00, r.Held("B", "M"));
        Assert.Equal(100_00, r.Exited("A", ExitReason.CashWithdrawal));
        Assert.Equal(20_00, r.Exited("B", ExitReason.CashWithdrawal));
        Assert.Equal(30_00, r.Account("M").TracedMinor);
    }

    [Fact]
    public void Lifo_takes_B_first()
    {
        var r = Run(AllocationRule.Lifo);
        Assert.Equal(30_00, r.Held("A", "M"));
        Assert.Equal(0, r.Held("B", "M"));
        Assert.Equal(70_00, r.Exited("A", ExitReason.CashWithdrawal));
        Assert.Equal(50_00, r.Exited("B", ExitReason.CashWithdrawal));
    }

    [Theory]
    [InlineData(AllocationRule.ProRata)]
    [InlineData(AllocationRule.Haircut)]
    public void Proportional_rules_leave_two_to_one(AllocationRule rule)
    {
        // 120 over 100:50 → A 80, B 40 leave; A 20, B 10 remain.
        var r = Run(rule);
        Assert.Equal(20_00, r.Held("A", "M"));
        Assert.Equal(10_00, r.Held("B", "M"));
        Assert.Equal(80_00, r.Exited("A", ExitReason.CashWithdrawal));
        Assert.Equal(40_00, r.Exited("B", ExitReason.CashWithdrawal));
        Assert.Equal(30_00, r.Account("M").TaintedMinor);
    }

    [Fact]
    public void Libr_caps_both_victims_at_the_lowest_balance()
    {
        var r = Run(AllocationRule.Libr);
        Assert.Equal(30_00, r.Held("A", "M"));
        Assert.Equal(30_00, r.Held("B", "M"));
        Assert.Equal(70_00, r.Exited("A", ExitReason.Dissipated));
        Assert.Equal(20_00, r.Exited("B", ExitReason.Dissipated));
        Assert.DoesNotContain(r.Victims.SelectMany(v => v.Exits), e => e.Reason != ExitReason.Dissipated);

        var m = r.Account("M");
        Assert.Equal(30_00, m.BalanceMinor);
        Assert.Equal(60_00, m.TracedMinor); // claims overlap
        Assert.Equal(30_00, m.FreezableMinor);
        Assert.All(r.Victim("A").Exits, e => Assert.Equal("W", e.TransactionId));
    }

    [Fact]
    public void Poison_taints_all_that_remains_and_attributes_by_haircut()
    {
        var r = Run(AllocationRule.Poison);
        var m = r.Account("M");
        Assert.Equal(30_00, m.BalanceMinor);
        Assert.Equal(30_00, m.TaintedMinor);
        Assert.Equal(20_00, r.Held("A", "M"));
        Assert.Equal(10_00, r.Held("B", "M"));
        Assert.Equal("M", Assert.Single(r.FreezeTargets).Account);
    }

    [Theory]
    [InlineData(AllocationRule.Fifo)]
    [InlineData(AllocationRule.Lifo)]
    [InlineData(AllocationRule.ProRata)]
    [InlineData(AllocationRule.Libr)]
    [InlineData(AllocationRule.Poison)]
    [InlineData(AllocationRule.Haircut)]
    public void Every_rule_accounts_for_each_loss_and_records_the_rule(AllocationRule rule)
    {
        var r = Run(rule);
        Assert.Equal(rule, r.Rule);
        Assert.Equal(100_00, r.Victim("A").LossMinor);
        Assert.Equal(50_00, r.Victim("B").LossMinor);
        foreach (var v in r.Victims) Assert.Equal(v.LossMinor, v.HeldMinor + v.ExitedMinor);
        Assert.Equal(30_00, r.Account("M").BalanceMinor);
        Assert.Matches("^[0-9a-f]{64}$", r.Digest);
    }

    [Fact]
    public void Paths_name_the_payment_and_the_account()
    {
        var r = Run(AllocationRule.Fifo);
        var holding = Assert.Single(r.Victim("B").Holdings);
        Assert.Equal(ResultExtensions.Path(["PB"], ["M"]), Assert.Single(holding.Paths));
        var exit = Assert.Single(r.Victim("B").Exits);
        Assert.Equal(new TrailExit(ExitReason.CashWithdrawal, "M", "W", 20_00, ResultExtensions.Path(["PB"], ["M"])), exit);
    }
}
