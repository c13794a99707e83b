using AssetRecovery.BuildingBlocks;
using AssetRecovery.Tracing;

namespace AssetRecovery.Tracing.Tests;

public class HandComputedTests
{
    /// <summary>
    /// M opens with 50 own; A pays 100; 60 out; 30 own cash in; 50 out. Balance 50+100−60+30−50 = 70.
    /// FIFO:  [own50, A100] −60 → own50, A10 → [A90]; +own30 → [A90, own30]; −50 → A50 → A 40.
    /// LIFO:  [own50, A100] −60 → A60 → [own50, A40]; +own30; −50 → own30, A20 → A 20.
    /// ProRata: own50:A100, −60 → own20, A40 → own30, A60; +30 → own60, A60; −50 → 25/25 → A 35.
    /// LIBR: A claim 100, balance 90 → A 90 (10 dissipated); +30 → 120, A stays 90; −50 → 70 → A 70 (20 dissipated).
    /// </summary>
    [Theory]
    [InlineData(AllocationRule.Fifo, 40_00)]
    [InlineData(AllocationRule.Lifo, 20_00)]
    [InlineData(AllocationRule.ProRata, 35_00)]
    [InlineData(AllocationRule.Haircut, 35_00)]
    [InlineData(AllocationRule.Poison, 35_00)]
    [InlineData(AllocationRule.Libr, 70_00)]
    public void Own_money_from_opening_balance_and_cash_deposit(AllocationRule rule, long heldByA)
    {
        var r = new TraceBuilder()
            .Opening("M", 50_00)
            .Pay("A", "M", 100_00)
            .Cash("M", 60_00)
            .Deposit("M", 30_00)
            .Spend("M", 50_00)
            .Trace(rule);

        Assert.Equal(heldByA, r.Held("A", "M"));
        Assert.Equal(100_00 - heldByA, r.Victim("A").ExitedMinor);
        var m = r.Account("M");
        Assert.Equal(70_00, m.BalanceMinor);
        Assert.Equal(rule == AllocationRule.Poison ? 70_00 : heldByA, m.TaintedMinor);
        if (rule == AllocationRule.Libr) Assert.All(r.Victim("A").Exits, e => Assert.Equal(ExitReason.Dissipated, e.Reason));
    }

    /// <summary>
    /// A pays 100; 50 out (all A's: A 50); B pays 100; 50 out over A50:B100 = 16.67/33.33 →
    /// floors 16.66/33.33 (in minor units 1666 r10000, 3333 r5000 of 15000) → missing unit to A (larger remainder):
    /// A 1667, B 3333 leave → A 33.33, B 66.67 remain. After-the-fact pro rata would say 50/50.
    /// </summary>
    [Fact]
    public void Rolling_charge_differs_from_after_the_fact_pro_rata()
    {
        var r = new TraceBuilder()
            .Pay("A", "M", 100_00)
            .Cash("M", 50_00)
            .Pay("B", "M", 100_00)
            .Cash("M", 50_00)
            .Trace(AllocationRule.ProRata);

        Assert.Equal(33_33, r.Held("A", "M"));
        Assert.Equal(66_67, r.Held("B", "M"));
        Assert.NotEqual(50_00, r.Held("A", "M"));
        Assert.Equal(100_00, r.Account("M").BalanceMinor);
    }

    /// <summary>A 100 → M1 → M2 (100) → M3 (60) → cash 60: 40 stays in M2, 60 leaves as cash at M3 after two hops.</summary>
    [Fact]
    public void Several_hops_to_cash()
    {
        var b = new TraceBuilder()
            .Pay("A", "M1", 100_00, "P")
            .Transfer("M1", "M2", 100_00, "T1")
            .Transfer("M2", "M3", 60_00, "T2")
            .Cash("M3", 60_00, "T3");

        foreach (var rule in Enum.GetValues<AllocationRule>())
        {
            var r = b.Trace(rule);
            var a = r.Victim("A");
            var holding = Assert.Single(a.Holdings);
            Assert.Equal(("M2", 40_00L), (holding.Account, holding.AmountMinor));
            Assert.Equal(ResultExtensions.Path(["P", "T1"], ["M1", "M2"]), Assert.Single(holding.Paths));

            var exit = Assert.Single(a.Exits);
            // LIBR does not attribute exits: the cash leaves M3's balance at 0, the claim is cut to 0.
            var reason = rule == AllocationRule.Libr ? ExitReason.Dissipated : ExitReason.CashWithdrawal;
            Assert.Equal(new TrailExit(reason, "M3", "T3", 60_00, ResultExtensions.Path(["P", "T1", "T2"], ["M1", "M2", "M3"])), exit);

            Assert.Equal(new HopFlow("M1", "A", 100_00, 100_00, 0, 0), r.Flow("A", "M1"));
            Assert.Equal(new HopFlow("M2", "A", 100_00, 60_00, 0, 40_00), r.Flow("A", "M2"));
            Assert.Equal(new HopFlow("M3", "A", 60_00, 0, 60_00, 0), r.Flow("A", "M3"));
            Assert.Equal(["M2"], r.FreezeTargets.Select(t => t.Account));
        }
    }

    /// <summary>
    /// A 100 → M1; M1 → M2 100; M2 → M1 40; M1 cash 10. M1: in 100+40, on 100, out 10, left 30. M2: in 100, on 40, left 60.
    /// </summary>
    [Fact]
    public void Cycle_between_two_mules()
    {
        var r = new TraceBuilder()
            .Pay("A", "M1", 100_00, "P")
            .Transfer("M1", "M2", 100_00, "T1")
            .Transfer("M2", "M1", 40_00, "T2")
            .Cash("M1", 10_00, "T3")
            .Trace(AllocationRule.Fifo);

        Assert.Equal(30_00, r.Held("A", "M1"));
        Assert.Equal(60_00, r.Held("A", "M2"));
        Assert.Equal(ResultExtensions.Path(["P", "T1", "T2"], ["M1", "M2", "M1"]),
            Assert.Single(r.Victim("A").Holdings.Single(h => h.Account == "M1").Paths));
        Assert.Equal(new HopFlow("M1", "A", 140_00, 100_00, 10_00, 30_00), r.Flow("A", "M1"));
        Assert.Equal(new HopFlow("M2", "A", 100_00, 40_00, 0, 60_00), r.Flow("A", "M2"));
        Assert.Equal(["M2", "M1"], r.FreezeTargets.Select(t => t.Account));
    }

    /// <summary>
    /// A pays 60 into M1 and 40 into M2; B pays 50 into M2; M2 → M3 60.
    /// FIFO: A40 then B20 move → A: M1 60, M3 40; B: M2 30, M3 20.
    /// ProRata: 60 over A40:B50 (of 90) → 26.67/33.33 → floors 2666 r6000, 3333 r3000 → A 2667, B 3333 move.
    /// </summary>
    [Theory]
    [InlineData(AllocationRule.Fifo, 0L, 40_00L, 30_00L, 20_00L)]
    [InlineData(AllocationRule.ProRata, 13_33L, 26_67L, 16_67L, 33_33L)]
    public void One_victim_paying_two_mules(AllocationRule rule, long aInM2, long aInM3, long bInM2, long bInM3)
    {
        var r = new TraceBuilder()
            .Pay("A", "M1", 60_00)
            .Pay("A", "M2", 40_00)
            .Pay("B", "M2", 50_00)
            .Transfer("M2", "M3", 60_00)
            .Trace(rule);

        Assert.Equal(100_00, r.Victim("A").LossMinor);
        Assert.Equal(60_00, r.Held("A", "M1"));
        Assert.Equal(aInM2, r.Held("A", "M2"));
        Assert.Equal(aInM3, r.Held("A", "M3"));
        Assert.Equal(bInM2, r.Held("B", "M2"));
        Assert.Equal(bInM3, r.Held("B", "M3"));
        Assert.Equal(60_00, r.Account("M3").TracedMinor);
    }

    /// <summary>
    /// C, A, B each pay 1.00 (100 minor) in that order; 1.00 leaves. Each share is 33 r100 of 300; the one missing unit
    /// goes to the earliest arrival, C: C 34, A 33, B 33 leave (not alphabetical).
    /// </summary>
    [Fact]
    public void Pro_rata_remainder_goes_to_the_earliest_money()
    {
        var r = new TraceBuilder()
            .Pay("C", "M", 100)
            .Pay("A", "M", 100)
            .Pay("B", "M", 100)
            .Cash("M", 100)
            .Trace(AllocationRule.ProRata);

        Assert.Equal(34, r.Victim("C").ExitedMinor);
        Assert.Equal(33, r.Victim("A").ExitedMinor);
        Assert.Equal(33, r.Victim("B").ExitedMinor);
        Assert.Equal(200, r.Account("M").TracedMinor);
    }

    [Fact]
    public void Largest_remainder_split_is_exact()
    {
        Assert.Equal([34, 33, 33], LargestRemainder.Split(100, [1, 1, 1]));
        // 10 over 1:2:3 (of 6): 1.67/3.33/5 → floors 1,3,5, remainders 4,2,0 → first gets the unit.
        Assert.Equal([2, 3, 5], LargestRemainder.Split(10, [1, 2, 3]));
        Assert.Equal([0, 0, 0], LargestRemainder.Split(0, [5, 5, 5]));
        // Products beyond 64 bits still exact.
        var big = LargestRemainder.Split(long.MaxValue / 2, [long.MaxValue / 4, long.MaxValue / 4]);
        Assert.Equal(long.MaxValue / 2, big.Sum());
    }

    /// <summary>MaxHops 1: A 100 → M1 → M2 (hop 1) → M3 would be hop 2, so it stops at M2; M3 gets the money untraced.</summary>
    [Theory]
    [InlineData(AllocationRule.Fifo)]
    [InlineData(AllocationRule.Poison)]
    [InlineData(AllocationRule.Libr)]
    public void Max_hops_stops_following(AllocationRule rule)
    {
        var r = new TraceBuilder()
            .Pay("A", "M1", 100_00, "P")
            .Transfer("M1", "M2", 100_00, "T1")
            .Transfer("M2", "M3", 100_00, "T2")
            .Trace(rule, maxHops: 1);

        var exit = Assert.Single(r.Victim("A").Exits);
        Assert.Equal(new TrailExit(ExitReason.MaxHopsReached, "M2", "T2", 100_00, ResultExtensions.Path(["P", "T1"], ["M1", "M2"])), exit);
        Assert.Empty(r.Victim("A").Holdings);
        Assert.DoesNotContain(r.Accounts, a => a.Account == "M3");
        Assert.DoesNotContain(r.FreezeTargets, t => t.BalanceMinor > 0);
    }

    [Fact]
    public void Max_hops_zero_follows_only_first_level_accounts()
    {
        var r = new TraceBuilder()
            .Pay("A", "M1", 100_00, "P")
            .Transfer("M1", "M2", 30_00, "T1")
            .Trace(AllocationRule.Fifo, maxHops: 0);

        Assert.Equal(70_00, r.Held("A", "M1"));
        Assert.Equal(30_00, r.Exited("A", ExitReason.MaxHopsReached));
    }

    /// <summary>
    /// Window [minute 2, minute 4], both ends inclusive: B's payment (1) and the cash at 5 are ignored.
    /// A 100 (2) − 30 (3) − 10 (4, on the boundary) = 60.
    /// </summary>
    [Fact]
    public void Time_window_ignores_events_outside()
    {
        var b = new TraceBuilder()
            .Pay("B", "M", 999_00)   // minute 1
            .Pay("A", "M", 100_00)   // minute 2
            .Cash("M", 30_00)        // minute 3
            .Cash("M", 10_00)        // minute 4
            .Cash("M", 60_00);       // minute 5
        var r = b.Trace(AllocationRule.Fifo, from: TraceBuilder.At(2), to: TraceBuilder.At(4));

        Assert.Equal(["A"], r.Victims.Select(v => v.VictimId));
        Assert.Equal(60_00, r.Held("A", "M"));
        Assert.Equal(60_00, r.Account("M").BalanceMinor);
        Assert.Equal(100_00, r.Victim("A").LossMinor);
    }

    /// <summary>M holds A's 100; 150 is sent to M2: 100 of A's money plus 50 untraced outside money; M stays at 0.</summary>
    [Theory]
    [InlineData(AllocationRule.Fifo)]
    [InlineData(AllocationRule.ProRata)]
    [InlineData(AllocationRule.Libr)]
    public void Overdrawn_outflow_treats_the_shortfall_as_outside_money(AllocationRule rule)
    {
        var r = new TraceBuilder()
            .Pay("A", "M", 100_00)
            .Transfer("M", "M2", 150_00)
            .Cash("M", 10_00)
            .Trace(rule);

        Assert.Equal(0, r.Account("M").BalanceMinor);
        Assert.Equal(150_00, r.Account("M2").BalanceMinor);
        Assert.Equal(100_00, r.Held("A", "M2"));
        Assert.Empty(r.Victim("A").Exits);
    }

    /// <summary>A transfer from an account the trace never saw is the holder's own money: it dilutes pro rata.</summary>
    [Fact]
    public void Transfer_from_external_account_is_own_money()
    {
        // M: A 100 + own 100 from X; 100 out → 50/50.
        var r = new TraceBuilder()
            .Pay("A", "M", 100_00)
            .Transfer("X", "M", 100_00)
            .Cash("M", 100_00)
            .Trace(AllocationRule.ProRata);

        Assert.Equal(50_00, r.Held("A", "M"));
        Assert.DoesNotContain(r.Accounts, a => a.Account == "X");
    }

    /// <summary>
    /// LIBR onward: M opens with 50 own, A pays 100, 80 goes to M2: own 50 first, then 30 of A's.
    /// M: balance 70, A 70. M2 spends 70 of its 80: balance 10, A's 30 capped to 10 (20 dissipated).
    /// </summary>
    [Fact]
    public void Libr_transfers_own_money_first()
    {
        var r = new TraceBuilder()
            .Opening("M", 50_00)
            .Pay("A", "M", 100_00)
            .Transfer("M", "M2", 80_00)
            .Spend("M2", 70_00)
            .Trace(AllocationRule.Libr);

        Assert.Equal(70_00, r.Held("A", "M"));
        Assert.Equal(10_00, r.Held("A", "M2"));
        Assert.Equal(20_00, r.Exited("A", ExitReason.Dissipated));
        Assert.Equal(new HopFlow("M", "A", 100_00, 30_00, 0, 70_00), r.Flow("A", "M"));
    }

    /// <summary>
    /// Worked example, then the remaining 30 moves to M2. Claims A 30, B 30 (overlapping, own 0) → 15/15 move;
    /// M's balance is 0, so what stays of each claim (15) is dissipated.
    /// A: M2 15, dissipated 70+15. B: M2 15, dissipated 20+15.
    /// </summary>
    [Fact]
    public void Libr_overlapping_claims_move_in_proportion()
    {
        var r = new TraceBuilder()
            .Pay("A", "M", 100_00)
            .Pay("B", "M", 50_00)
            .Cash("M", 120_00)
            .Transfer("M", "M2", 30_00)
            .Trace(AllocationRule.Libr);

        Assert.Equal(15_00, r.Held("A", "M2"));
        Assert.Equal(15_00, r.Held("B", "M2"));
        Assert.Equal(85_00, r.Exited("A", ExitReason.Dissipated));
        Assert.Equal(35_00, r.Exited("B", ExitReason.Dissipated));
        Assert.Equal(30_00, r.Account("M2").TracedMinor);
    }

    /// <summary>Poison spreads to every account touched downstream, own money and all.</summary>
    [Fact]
    public void Poison_taints_whole_balances_downstream()
    {
        // M: A 10 + own 90; 50 → M2 (A 5 by haircut); M2 already had own 100 → M2 fully tainted: 150.
        var r = new TraceBuilder()
            .Opening("M", 90_00)
            .Opening("M2", 100_00)
            .Pay("A", "M", 10_00)
            .Transfer("M", "M2", 50_00)
            .Trace(AllocationRule.Poison);

        Assert.Equal(50_00, r.Account("M").TaintedMinor);
        Assert.Equal(150_00, r.Account("M2").TaintedMinor);
        Assert.Equal(5_00, r.Held("A", "M2"));
        Assert.Equal(["M2", "M"], r.FreezeTargets.Select(t => t.Account));
    }

    [Fact]
    public void Out_of_reach_and_spent_are_recorded_with_their_reason()
    {
        var r = new TraceBuilder()
            .Pay("A", "M", 100_00)
            .Abroad("M", 30_00, "X1")
            .Spend("M", 20_00, "S1")
            .Trace(AllocationRule.Fifo);

        Assert.Equal(30_00, r.Exited("A", ExitReason.OutOfReach));
        Assert.Equal(20_00, r.Exited("A", ExitReason.Spent));
        Assert.Equal(["X1", "S1"], r.Victim("A").Exits.Select(e => e.TransactionId));
    }

    [Fact]
    public void Bank_copy_of_a_victim_payment_is_not_applied_twice()
    {
        var b = new TraceBuilder()
            .Pay("A", "M", 100_00, "P1")
            .Transfer("VICTIM-ACCOUNT", "M", 100_00, "P1");
        var r = b.Trace(AllocationRule.Fifo);
        Assert.Equal(100_00, r.Account("M").BalanceMinor);
    }

    [Fact]
    public void Same_instant_orders_payments_first_then_transaction_id()
    {
        var t = TraceBuilder.T0;
        var request = new TraceRequest("CNY", 2,
            [new VictimPayment("A", "Z-pay", t, "M", 100_00)],
            [
                new TraceTransaction("T2", t, "M", null, 30_00, TransactionChannel.CashWithdrawal),
                new TraceTransaction("T1", t, "M", "M2", 50_00, TransactionChannel.Transfer),
            ],
            AllocationRule.Fifo);
        var r = TraceEngine.Trace(request);

        // Payment first (though its id sorts last), then T1 (50 to M2), then T2 (30 cash): M keeps 20.
        Assert.Equal(20_00, r.Held("A", "M"));
        Assert.Equal(50_00, r.Held("A", "M2"));
    }

    [Fact]
    public void Freeze_targets_by_traced_amount_then_account()
    {
        var r = new TraceBuilder()
            .Pay("A", "M1", 10_00)
            .Pay("A", "M3", 50_00)
            .Pay("B", "M2", 50_00)
            .Pay("B", "M4", 20_00)
            .Cash("M4", 20_00)
            .Trace(AllocationRule.Fifo);

        Assert.Equal(["M2", "M3", "M1"], r.FreezeTargets.Select(t => t.Account));
        Assert.Equal(["M1", "M2", "M3", "M4"], r.Accounts.Select(a => a.Account));
        Assert.Equal([("A", 50_00L)], r.Account("M3").ByVictim);
    }

    [Fact]
    public void Digest_is_stable_and_covers_rule_and_inputs()
    {
        var b = new TraceBuilder().Pay("A", "M", 100_00).Transfer("M", "M2", 30_00).Cash("M2", 10_00);
        var request = b.Request(AllocationRule.Fifo);
        var reversed = request with { Payments = request.Payments.Reverse().ToArray(), Transactions = request.Transactions.Reverse().ToArray() };

        Assert.Equal(TraceEngine.Trace(request).Digest, TraceEngine.Trace(reversed).Digest);
        Assert.Equal(TraceDigest.Compute(request), TraceEngine.Trace(request).Digest);
        Assert.NotEqual(TraceDigest.Compute(request), TraceDigest.Compute(request with { Rule = AllocationRule.Lifo }));
        Assert.NotEqual(TraceDigest.Compute(request), TraceDigest.Compute(request with { MaxHops = 3 }));
        var changed = request with { Transactions = [.. request.Transactions.Select(t => t with { AmountMinor = t.AmountMinor + 1 })] };
        Assert.NotEqual(TraceDigest.Compute(request), TraceDigest.Compute(changed));
    }

    [Fact]
    public void Invalid_input_is_rejected()
    {
        var t = TraceBuilder.T0;
        Assert.Throws<ArgumentException>(() => TraceEngine.Trace(new TraceRequest("CNY", 2,
            [new VictimPayment("A", "P", t, "M", -1)], [], AllocationRule.Fifo)));
        Assert.Throws<ArgumentException>(() => TraceEngine.Trace(new TraceRequest("CNY", 2,
            [], [new TraceTransaction("T", t, "M", null, 1, TransactionChannel.Transfer)], AllocationRule.Fifo)));
        Assert.Throws<ArgumentException>(() => TraceEngine.Trace(new TraceRequest("CNY", 2, [], [], AllocationRule.Fifo, MaxHops: -1)));
    }

    [Fact]
    public void Check_rejects_a_tampered_result()
    {
        var request = new TraceBuilder().Pay("A", "M", 100_00).Cash("M", 30_00).Request(AllocationRule.Fifo);
        var good = TraceEngine.Trace(request);
        TraceInvariants.Check(request, good);

        var a = good.Victims[0];
        var inflated = good with { Victims = [a with { Holdings = [a.Holdings[0] with { AmountMinor = 80_00 }] }] };
        var ex = Assert.Throws<TraceInvariantViolation>(() => TraceInvariants.Check(request, inflated));
        Assert.Contains("victim A", ex.Message);

        var badFlow = good with { Flows = [good.Flows[0] with { ExitedMinor = 0 }] };
        Assert.Throws<TraceInvariantViolation>(() => TraceInvariants.Check(request, badFlow));

        var badBalance = good with { Accounts = [good.Accounts[0] with { BalanceMinor = 1 }] };
        Assert.Throws<TraceInvariantViolation>(() => TraceInvariants.Check(request, badBalance));
    }

    [Fact]
    public void Money_is_formatted_with_minor_digits()
    {
        Assert.Equal("100.00 CNY", MoneyFormat.Format(100_00, 2, "CNY"));
        Assert.Equal("-0.05 USD", MoneyFormat.Format(-5, 2, "USD"));
        Assert.Equal("7 JPY", MoneyFormat.Format(7, 0, "JPY"));
    }
}
