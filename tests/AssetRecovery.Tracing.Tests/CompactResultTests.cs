using AssetRecovery.Tracing;
using FsCheck;
using FsCheck.Xunit;

namespace AssetRecovery.Tracing.Tests;

/// <summary>The compact result (the default) and paths on request, against the full result with every path.</summary>
[Properties(Arbitrary = [typeof(ScenarioGenerators)], MaxTest = 300)]
public class CompactResultTests
{
    [Property]
    public void Compact_result_is_the_full_result_summed(Scenario scenario)
    {
        foreach (var rule in Enum.GetValues<AllocationRule>())
        {
            var request = scenario.Request(rule);
            CompactComparison.AssertCompactIsFullSummed(
                TraceEngine.Trace(request with { Paths = TracePaths.All }), TraceEngine.Trace(request));
        }
    }

    [Property]
    public void Paths_asked_for_some_victims_are_the_full_results_paths_for_them(Scenario scenario, byte chosen)
    {
        // Victims are V1..V4: bit i of chosen picks V(i+1).
        var wanted = Enumerable.Range(1, 4).Where(i => (chosen & (1 << (i - 1))) != 0).Select(i => $"V{i}").ToHashSet();
        foreach (var rule in Enum.GetValues<AllocationRule>())
        {
            var request = scenario.Request(rule);
            var full = TraceEngine.Trace(request with { Paths = TracePaths.All });
            var some = TraceEngine.Trace(request with { Paths = TracePaths.ForVictims(wanted) });

            Assert.Equal(full.Digest, some.Digest);
            Assert.Equal(full.Victims.Select(v => v.VictimId), some.Victims.Select(v => v.VictimId));
            for (var i = 0; i < full.Victims.Count; i++)
            {
                var f = full.Victims[i];
                var s = some.Victims[i];
                Assert.Equal(wanted.Contains(s.VictimId), s.PathsIncluded);
                Assert.Equal(f.Holdings.Select(h => (h.Account, h.AmountMinor)), s.Holdings.Select(h => (h.Account, h.AmountMinor)));
                Assert.Equal(f.ExitTotals, s.ExitTotals);
                if (s.PathsIncluded) Assert.Equal(CompactComparison.Paths(f), CompactComparison.Paths(s));
                else Assert.Empty(CompactComparison.Paths(s));
            }

            Assert.Equal(CompactComparison.Accounts(full.Accounts), CompactComparison.Accounts(some.Accounts));
            Assert.Equal(full.Flows, some.Flows);
        }
    }

    [Fact]
    public void Compact_by_default_with_exits_summed_per_account_and_reason()
    {
        // A 100 into M; 10 and 20 cash out of M, 30 on to M2, 5 spent there: cash 30 at M, spent 5 at M2, 40 at M, 25 at M2.
        var request = new TraceBuilder()
            .Pay("A", "M", 100_00, "P")
            .Cash("M", 10_00, "C1")
            .Cash("M", 20_00, "C2")
            .Transfer("M", "M2", 30_00, "T")
            .Spend("M2", 5_00, "S")
            .Request(AllocationRule.Fifo) with { Paths = null };

        var a = TraceEngine.Trace(request).Victim("A");

        Assert.False(a.PathsIncluded);
        Assert.Equal([("M", 40_00L), ("M2", 25_00L)], a.Holdings.Select(h => (h.Account, h.AmountMinor)));
        Assert.All(a.Holdings, h => Assert.Empty(h.Paths));
        Assert.Equal([new ExitTotal(ExitReason.CashWithdrawal, "M", 30_00), new ExitTotal(ExitReason.Spent, "M2", 5_00)], a.ExitTotals);
        Assert.Empty(a.Exits);
        Assert.Equal(35_00, a.ExitedMinor);
    }

    [Fact]
    public void Paths_do_not_change_the_digest()
    {
        var request = new TraceBuilder().Pay("A", "M", 100_00).Transfer("M", "M2", 30_00).Request(AllocationRule.ProRata);

        Assert.Equal(TraceEngine.Trace(request).Digest, TraceEngine.Trace(request with { Paths = null }).Digest);
        Assert.Equal(TraceEngine.Trace(request).Digest, TraceEngine.Trace(request with { Paths = TracePaths.ForVictims(["A"]) }).Digest);
    }

    [Fact]
    public void Check_rejects_a_tampered_compact_result()
    {
        var request = new TraceBuilder().Pay("A", "M", 100_00).Transfer("M", "M2", 60_00).Cash("M2", 30_00)
            .Request(AllocationRule.ProRata) with { Paths = null };
        var good = TraceEngine.Trace(request);
        TraceInvariants.Check(request, good);
        var a = good.Victims[0];

        // Exit moved to another account: holdings + exits still add up to the loss, but not the flow there.
        var moved = good with { Victims = [a with { ExitTotals = [a.ExitTotals[0] with { Account = "M" }] }] };
        Assert.Contains("victim A at M: counted", Assert.Throws<TraceInvariantViolation>(() => TraceInvariants.Check(request, moved)).Message);

        // A hop that does not balance: received more than forwarded + exited + remaining.
        var m2 = good.Flows.Single(f => f.Account == "M2");
        var unbalanced = good with { Flows = [.. good.Flows.Select(f => f == m2 ? f with { ReceivedMinor = f.ReceivedMinor + 1 } : f)] };
        Assert.Contains("received", Assert.Throws<TraceInvariantViolation>(() => TraceInvariants.Check(request, unbalanced)).Message);

        // Paths given where none were asked for.
        var withPath = good with
        {
            Victims = [a with { Holdings = [a.Holdings[0] with { Paths = [new TracePath(["P001"], ["M"])] }, .. a.Holdings.Skip(1)] }],
        };
        Assert.Throws<TraceInvariantViolation>(() => TraceInvariants.Check(request, withPath));
    }
}
