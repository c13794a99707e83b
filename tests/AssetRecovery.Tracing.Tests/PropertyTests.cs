using AssetRecovery.BuildingBlocks;
using AssetRecovery.Tracing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AssetRecovery.Tracing.Tests;

/// <summary>A random case: a few victims and accounts, cycles, own deposits, external senders and overdrawing outflows.</summary>
public sealed record Scenario(
    VictimPayment[] Payments,
    TraceTransaction[] Transactions,
    (string Account, long Amount)[] Opening,
    int MaxHops,
    int? FromMinute,
    int? ToMinute)
{
    public TraceRequest Request(AllocationRule rule) =>
        new("CNY", 2, Payments, Transactions, rule, MaxHops,
            FromMinute is null ? null : TraceBuilder.At(FromMinute.Value),
            ToMinute is null ? null : TraceBuilder.At(ToMinute.Value),
            Opening.Length == 0 ? null : Opening.GroupBy(o => o.Account).ToDictionary(g => g.Key, g => g.Last().Amount));

    public bool InWindow(DateTimeOffset t) =>
        (FromMinute is null || t >= TraceBuilder.At(FromMinute.Value)) && (ToMinute is null || t <= TraceBuilder.At(ToMinute.Value));

    public override string ToString() =>
        $"MaxHops {MaxHops}, window [{FromMinute}, {ToMinute}], opening {string.Join(", ", Opening)}\n"
        + string.Join("\n", Payments.Select(p => $"  {p.Timestamp:HH:mm} {p.TransactionId} {p.VictimId} -> {p.ToAccount} {p.AmountMinor}"))
        + "\n"
        + string.Join("\n", Transactions.Select(t => $"  {t.Timestamp:HH:mm} {t.TransactionId} {t.FromAccount ?? "-"} -> {t.ToAccount ?? "-"} {t.AmountMinor} {t.Channel}"));
}

public static class ScenarioGenerators
{
    private static readonly string[] AccountNames = ["M1", "M2", "M3", "M4", "M5"];

    private static Gen<VictimPayment> Payment(int victims, string[] accounts) =>
        from victim in Gen.Choose(1, victims)
        from minute in Gen.Choose(0, 30)
        from account in Gen.Elements(accounts)
        from amount in Gen.Frequency((12, Gen.Choose(1, 300)), (1, Gen.Constant(0)))
        select new VictimPayment($"V{victim}", "", TraceBuilder.At(minute), account, amount);

    private static Gen<TraceTransaction> Transaction(string[] accounts) =>
        from minute in Gen.Choose(0, 30)
        from channel in Gen.Frequency(
            (6, Gen.Constant(TransactionChannel.Transfer)),
            (1, Gen.Constant(TransactionChannel.CashDeposit)),
            (2, Gen.Constant(TransactionChannel.CashWithdrawal)),
            (1, Gen.Constant(TransactionChannel.OutOfReach)),
            (1, Gen.Constant(TransactionChannel.Spent)))
        from source in Gen.Frequency((8, Gen.Elements(accounts)), (1, Gen.Constant("X-EXTERNAL")))
        from to in Gen.Elements(accounts)
        from amount in Gen.Frequency((8, Gen.Choose(1, 200)), (2, Gen.Choose(200, 1000)), (1, Gen.Constant(0)))
        select new TraceTransaction("", TraceBuilder.At(minute),
            channel == TransactionChannel.CashDeposit ? null : source,
            channel is TransactionChannel.Transfer or TransactionChannel.CashDeposit ? to : null,
            amount, channel);

    public static Gen<Scenario> Scenarios() =>
        from victims in Gen.Choose(1, 4)
        from accountCount in Gen.Choose(1, 5)
        let accounts = AccountNames[..accountCount]
        from payments in Gen.ArrayOf(Payment(victims, accounts))
        from transactions in Gen.ArrayOf(Transaction(accounts))
        from opening in Gen.ArrayOf(Gen.Zip(Gen.Elements(accounts), Gen.Choose(0, 300)), 2)
        from maxHops in Gen.Frequency((3, Gen.Constant(50)), (2, Gen.Choose(0, 4)))
        from window in Gen.Frequency(
            (3, Gen.Constant<(int?, int?)>((null, null))),
            (1, from a in Gen.Choose(0, 15) from b in Gen.Choose(15, 30) select ((int?)a, (int?)b)))
        select new Scenario(
            payments.Select((p, i) => p with { TransactionId = $"P{i}" }).ToArray(),
            transactions.Select((t, i) => t with { TransactionId = $"T{i}" }).ToArray(),
            opening.Select(o => (o.Item1, (long)o.Item2)).ToArray(),
            maxHops, window.Item1, window.Item2);

    public static Arbitrary<Scenario> ScenarioArbitrary() => Arb.From(Scenarios());
}

[Properties(Arbitrary = [typeof(ScenarioGenerators)], MaxTest = 300)]
public class PropertyTests
{
    [Property]
    public void Invariants_hold_for_every_rule(Scenario scenario)
    {
        var balances = ReplayBalances(scenario);
        foreach (var rule in Enum.GetValues<AllocationRule>())
        foreach (var paths in new[] { TracePaths.None, TracePaths.All })
        {
            var request = scenario.Request(rule) with { Paths = paths };
            var result = TraceEngine.Trace(request); // runs TraceInvariants.Check itself
            TraceInvariants.Check(request, result);
            RecheckIndependently(scenario, rule, result, balances);
        }
    }

    [Property]
    public void Invariants_hold_with_a_minimum_share(Scenario scenario, PositiveInt rawMinimum)
    {
        var balances = ReplayBalances(scenario);
        var minimum = 1 + rawMinimum.Get % 120;
        foreach (var rule in new[] { AllocationRule.ProRata, AllocationRule.Haircut, AllocationRule.Poison })
        foreach (var paths in new[] { TracePaths.None, TracePaths.All })
        {
            var request = scenario.Request(rule) with { Paths = paths, MinimumShareMinor = minimum };
            var result = TraceEngine.Trace(request);
            TraceInvariants.Check(request, result);
            RecheckIndependently(scenario, rule, result, balances);
            // A transaction leaves at most two crumbs of a victim: its share of the transfer and what it left behind.
            foreach (var victim in result.Victims)
                Assert.All(victim.Exits.Where(e => e.Reason == ExitReason.BelowMinimumShare).GroupBy(e => e.TransactionId),
                    crumbs => Assert.InRange(crumbs.Sum(e => e.AmountMinor), 1, 2 * (minimum - 1)));
        }
    }

    [Property]
    public void Haircut_and_poison_attribute_like_pro_rata(Scenario scenario)
    {
        var proRata = Holdings(TraceEngine.Trace(scenario.Request(AllocationRule.ProRata)));
        Assert.Equal(proRata, Holdings(TraceEngine.Trace(scenario.Request(AllocationRule.Haircut))));
        Assert.Equal(proRata, Holdings(TraceEngine.Trace(scenario.Request(AllocationRule.Poison))));
    }

    [Property(MaxTest = 100)]
    public void Input_order_does_not_matter(Scenario scenario)
    {
        foreach (var rule in Enum.GetValues<AllocationRule>())
        {
            var request = scenario.Request(rule) with { Paths = TracePaths.All };
            var shuffled = request with
            {
                Payments = request.Payments.Reverse().ToArray(),
                Transactions = request.Transactions.Reverse().ToArray(),
            };
            var a = TraceEngine.Trace(request);
            var b = TraceEngine.Trace(shuffled);
            Assert.Equal(a.Digest, b.Digest);
            Assert.Equal(Holdings(a), Holdings(b));
            Assert.Equal(a.Victims.SelectMany(CompactComparison.Paths), b.Victims.SelectMany(CompactComparison.Paths));
            Assert.Equal(a.Flows, b.Flows);
        }
    }

    [Property]
    public void Largest_remainder_parts_are_exact_and_fair(NonEmptyArray<NonNegativeInt> rawWeights, NonNegativeInt rawAmount)
    {
        var weights = rawWeights.Get.Select(w => (long)w.Get).ToArray();
        var total = weights.Sum();
        if (total == 0) return;
        var amount = rawAmount.Get % (total + 1);
        var parts = LargestRemainder.Split(amount, weights);

        Assert.Equal(amount, parts.Sum());
        for (var i = 0; i < parts.Length; i++)
        {
            Assert.InRange(parts[i], 0, weights[i]);
            // Within one unit of the exact share: |part × total − amount × weight| < total.
            Assert.True(Int128.Abs((Int128)parts[i] * total - (Int128)amount * weights[i]) < total);
        }
    }

    [Property]
    public void Largest_remainder_gives_the_missing_units_to_the_largest_remainders_then_the_lower_index(
        NonEmptyArray<NonNegativeInt> rawWeights, NonNegativeInt rawAmount)
    {
        // Few distinct weights, so equal remainders (ties) are common.
        var weights = rawWeights.Get.Select(w => (long)(w.Get % 7)).ToArray();
        var total = weights.Sum();
        if (total == 0) return;
        var amount = rawAmount.Get % (total + 1);
        var parts = LargestRemainder.Split(amount, weights);

        // The rule done the slow way: floors, then one unit each to the first `missing` by remainder desc, index asc.
        var floors = weights.Select(w => amount * w / total).ToArray();
        var missing = amount - floors.Sum();
        var winners = weights.Select((w, i) => (Remainder: amount * w % total, Index: i))
            .OrderByDescending(x => x.Remainder).ThenBy(x => x.Index).Take((int)missing).Select(x => x.Index).ToHashSet();
        Assert.Equal(floors.Select((f, i) => f + (winners.Contains(i) ? 1 : 0)), parts);
    }

    private static string[] Holdings(TraceResult result) =>
        result.Victims.SelectMany(v => v.Holdings.Select(h => $"{v.VictimId}@{h.Account}={h.AmountMinor}"))
            .Concat(result.Victims.SelectMany(v => v.ExitTotals.Select(e => $"{v.VictimId}:{e.Reason}@{e.Account}={e.AmountMinor}")))
            .Concat(result.Victims.SelectMany(v => v.Exits.Select(e => $"{v.VictimId}:{e.Reason}@{e.Account}/{e.TransactionId}={e.AmountMinor}")))
            .ToArray();

    private static void RecheckIndependently(Scenario scenario, AllocationRule rule, TraceResult result, Dictionary<string, long> balances)
    {
        var losses = scenario.Payments.Where(p => scenario.InWindow(p.Timestamp))
            .GroupBy(p => p.VictimId).ToDictionary(g => g.Key, g => g.Sum(p => p.AmountMinor));
        Assert.Equal(losses.Keys.Order(StringComparer.Ordinal), result.Victims.Select(v => v.VictimId));

        foreach (var v in result.Victims)
        {
            Assert.All(v.Holdings, h => Assert.True(h.AmountMinor >= 0));
            Assert.All(v.ExitTotals, e => Assert.True(e.AmountMinor > 0));
            Assert.Equal(losses[v.VictimId], v.Holdings.Sum(h => h.AmountMinor) + v.ExitTotals.Sum(e => e.AmountMinor));
            Assert.All(v.Exits, e => Assert.True(e.Path.Hops <= scenario.MaxHops));
            if (v.PathsIncluded) Assert.Equal(v.ExitedMinor, v.Exits.Sum(e => e.AmountMinor));
            else Assert.Empty(v.Exits);
            if (rule == AllocationRule.Libr) Assert.All(v.ExitTotals, e => Assert.Contains(e.Reason, new[] { ExitReason.Dissipated, ExitReason.MaxHopsReached }));
        }

        foreach (var f in result.Flows)
        {
            Assert.True(f.ReceivedMinor >= 0 && f.ForwardedMinor >= 0 && f.ExitedMinor >= 0 && f.RemainingMinor >= 0);
            Assert.Equal(f.ReceivedMinor, f.ForwardedMinor + f.ExitedMinor + f.RemainingMinor);
        }

        foreach (var a in result.Accounts)
        {
            Assert.Equal(balances.GetValueOrDefault(a.Account), a.BalanceMinor);
            Assert.Equal(a.TracedMinor, a.ByVictim.Sum(x => x.AmountMinor));
            Assert.All(a.ByVictim, x => Assert.InRange(x.AmountMinor, 0, a.BalanceMinor));
            if (rule != AllocationRule.Libr) Assert.True(a.TracedMinor <= a.BalanceMinor, $"{a.Account} traced {a.TracedMinor} > balance {a.BalanceMinor}");
            if (rule == AllocationRule.Poison) Assert.True(a.TaintedMinor == a.BalanceMinor || a.TracedMinor == 0);
        }

        var totalHeld = result.Victims.Sum(v => v.Holdings.Sum(h => h.AmountMinor));
        Assert.Equal(totalHeld, result.Accounts.Sum(a => a.TracedMinor));
    }

    /// <summary>Balances straight from the scenario; an outflow takes at most what is there.</summary>
    private static Dictionary<string, long> ReplayBalances(Scenario s)
    {
        var balances = new Dictionary<string, long>();
        foreach (var (account, amount) in s.Request(AllocationRule.Fifo).OpeningBalances ?? new Dictionary<string, long>())
            balances[account] = amount;
        var events = s.Payments.Select(p => (p.Timestamp, Kind: 0, p.TransactionId, Payment: (VictimPayment?)p, Tx: (TraceTransaction?)null))
            .Concat(s.Transactions.Select(t => (t.Timestamp, Kind: 1, t.TransactionId, Payment: (VictimPayment?)null, Tx: (TraceTransaction?)t)))
            .Where(e => s.InWindow(e.Timestamp))
            .OrderBy(e => e.Timestamp).ThenBy(e => e.Kind).ThenBy(e => e.TransactionId, StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (e.Payment is { } p)
            {
                balances[p.ToAccount] = balances.GetValueOrDefault(p.ToAccount) + p.AmountMinor;
                continue;
            }

            var t = e.Tx!;
            if (t.Channel != TransactionChannel.CashDeposit)
            {
                var have = balances.GetValueOrDefault(t.FromAccount!);
                balances[t.FromAccount!] = have - Math.Min(have, t.AmountMinor);
            }

            if (t.ToAccount is not null) balances[t.ToAccount] = balances.GetValueOrDefault(t.ToAccount) + t.AmountMinor;
        }

        return balances;
    }
}
