using AssetRecovery.Tracing;

namespace AssetRecovery.Tracing.Tests;

/// <summary>Builds requests with one event per minute so the order in a test reads top to bottom.</summary>
internal sealed class TraceBuilder
{
    public static readonly DateTimeOffset T0 = new(2024, 3, 1, 9, 0, 0, TimeSpan.FromHours(8));
    private readonly List<VictimPayment> payments = [];
    private readonly List<TraceTransaction> transactions = [];
    private readonly Dictionary<string, long> opening = new(StringComparer.Ordinal);
    private int minute;
    private int nextId;

    public static DateTimeOffset At(int minute) => T0.AddMinutes(minute);

    public DateTimeOffset Now => At(minute);

    public TraceBuilder Opening(string account, long amount)
    {
        opening[account] = amount;
        return this;
    }

    public TraceBuilder Pay(string victim, string account, long amount, string? id = null) =>
        Add(() => payments.Add(new VictimPayment(victim, id ?? NextId("P"), Now, account, amount)));

    public TraceBuilder Transfer(string from, string to, long amount, string? id = null) =>
        Tx(from, to, amount, TransactionChannel.Transfer, id);

    public TraceBuilder Deposit(string account, long amount, string? id = null) =>
        Tx(null, account, amount, TransactionChannel.CashDeposit, id);

    public TraceBuilder Cash(string account, long amount, string? id = null) =>
        Tx(account, null, amount, TransactionChannel.CashWithdrawal, id);

    public TraceBuilder Abroad(string account, long amount, string? id = null) =>
        Tx(account, null, amount, TransactionChannel.OutOfReach, id);

    public TraceBuilder Spend(string account, long amount, string? id = null) =>
        Tx(account, null, amount, TransactionChannel.Spent, id);

    public TraceBuilder Tx(string? from, string? to, long amount, TransactionChannel channel, string? id = null) =>
        Add(() => transactions.Add(new TraceTransaction(id ?? NextId("T"), Now, from, to, amount, channel)));

    /// <summary>With every victim's paths, since these tests read them.</summary>
    public TraceRequest Request(AllocationRule rule, int maxHops = 50, DateTimeOffset? from = null, DateTimeOffset? to = null,
        long minimumShare = 0) =>
        new("CNY", 2, payments.ToArray(), transactions.ToArray(), rule, maxHops, from, to,
            opening.Count == 0 ? null : new Dictionary<string, long>(opening), TracePaths.All, minimumShare);

    /// <summary>The full result (every path); the compact result of the same request is checked to be its sum.</summary>
    public TraceResult Trace(AllocationRule rule, int maxHops = 50, DateTimeOffset? from = null, DateTimeOffset? to = null,
        long minimumShare = 0)
    {
        var request = Request(rule, maxHops, from, to, minimumShare);
        var full = TraceEngine.Trace(request);
        CompactComparison.AssertCompactIsFullSummed(full, TraceEngine.Trace(request with { Paths = null }));
        return full;
    }

    private TraceBuilder Add(Action add)
    {
        minute++;
        add();
        return this;
    }

    private string NextId(string prefix) => $"{prefix}{++nextId:D3}";
}

internal static class ResultExtensions
{
    public static VictimTrace Victim(this TraceResult result, string id) => result.Victims.Single(v => v.VictimId == id);

    /// <summary>This victim's money still in the account (0 if none).</summary>
    public static long Held(this TraceResult result, string victim, string account) =>
        result.Victim(victim).Holdings.Where(h => h.Account == account).Sum(h => h.AmountMinor);

    public static long Exited(this TraceResult result, string victim, ExitReason reason) =>
        result.Victim(victim).Exits.Where(e => e.Reason == reason).Sum(e => e.AmountMinor);

    public static AccountTrace Account(this TraceResult result, string account) => result.Accounts.Single(a => a.Account == account);

    public static HopFlow Flow(this TraceResult result, string victim, string account) =>
        result.Flows.Single(f => f.VictimId == victim && f.Account == account);

    public static TracePath Path(string[] transactionIds, string[] accounts) => new(transactionIds, accounts);
}
