using AssetRecovery.Tracing;

namespace AssetRecovery.Benchmarks;

/// <summary>
/// A realistic synthetic fraud case: victims pay first-level mules, which fan out to second- and third-level mules
/// (with some transfers back, i.e. cycles), holders pay in their own cash, and money leaves as cash, out of reach or
/// spent. Deterministic for a seed.
/// </summary>
public static class SyntheticCase
{
    public static TraceRequest Generate(int transactions, int victims, AllocationRule rule, int seed = 20261123)
    {
        var random = new Random(seed);
        var firstLevel = Math.Max(2, victims / 10);
        var mules = Math.Max(firstLevel * 4, transactions / 200);
        string Mule(int i) => $"M{i:D7}";
        var balances = new long[mules];
        var payments = new List<VictimPayment>(victims * 2);
        var records = new List<TraceTransaction>(transactions);
        var time = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        // Victims pay (some twice, some into two mules) over the first part of the period.
        for (var v = 0; v < victims; v++)
        {
            var payCount = random.Next(10) == 0 ? 2 : 1;
            for (var p = 0; p < payCount; p++)
            {
                var mule = random.Next(firstLevel);
                var amount = random.Next(1_000, 5_000_000); // 10.00 .. 50,000.00
                time = time.AddSeconds(random.Next(1, 30));
                payments.Add(new VictimPayment($"V{v:D6}", $"P{v:D6}-{p}", time, Mule(mule), amount));
                balances[mule] += amount;
            }
        }

        for (var t = 0; t < transactions; t++)
        {
            time = time.AddSeconds(random.Next(1, 5));
            var roll = random.Next(100);
            var from = random.Next(mules);
            if (roll < 8)
            {
                // The holder's own cash mixed in.
                var amount = random.Next(1_000, 500_000);
                records.Add(new TraceTransaction($"T{t:D8}", time, null, Mule(from), amount, TransactionChannel.CashDeposit));
                balances[from] += amount;
                continue;
            }
            if (balances[from] <= 0) from = random.Next(firstLevel);
            var share = balances[from] <= 0 ? random.Next(100, 10_000) : Math.Max(1, (long)(balances[from] * (0.2 + random.NextDouble() * 0.6)));
            if (roll < 78)
            {
                // Fan out deeper; now and then back up a level (a cycle).
                var to = roll < 73 ? Math.Min(mules - 1, from + 1 + random.Next(Math.Max(1, mules / 50))) : random.Next(Math.Max(1, from));
                if (to == from) to = (from + 1) % mules;
                records.Add(new TraceTransaction($"T{t:D8}", time, Mule(from), Mule(to), share, TransactionChannel.Transfer));
                balances[from] -= share;
                balances[to] += share;
            }
            else
            {
                var channel = roll < 90 ? TransactionChannel.CashWithdrawal : roll < 96 ? TransactionChannel.OutOfReach : TransactionChannel.Spent;
                records.Add(new TraceTransaction($"T{t:D8}", time, Mule(from), null, share, channel));
                balances[from] -= share;
            }
        }
        return new TraceRequest("CNY", 2, payments, records, rule);
    }
}
