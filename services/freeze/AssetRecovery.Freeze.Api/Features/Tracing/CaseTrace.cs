using AssetRecovery.BuildingBlocks;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Tracing;
using Marten;

namespace AssetRecovery.Freeze.Features.Tracing;

public enum TraceStatus
{
    Pending,
    Running,
    Completed,
    Failed,
}

/// <summary>A trace of a case: what was asked, how far it got, and (once completed) the engine's result.</summary>
public sealed class CaseTrace
{
    public Guid Id { get; set; }
    public string CaseNumber { get; set; } = "";
    public TraceRule Rule { get; set; }
    public string Currency { get; set; } = "";
    public List<string>? VictimIds { get; set; }
    public int MaxHops { get; set; }
    /// <summary>Shares below it are not followed (ProRata, Haircut, Poison); null: every minor unit is.</summary>
    public decimal? MinimumShare { get; set; }
    public DateTimeOffset? From { get; set; }
    public DateTimeOffset? To { get; set; }
    public required Actor RequestedBy { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public TraceStatus Status { get; set; }
    /// <summary>How far the engine got (payments and transactions processed of the total), while it runs.</summary>
    public long ProgressProcessed { get; set; }
    public long ProgressTotal { get; set; }
    public string? Failure { get; set; }
    public int Transactions { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public string? Digest { get; set; }
    /// <summary>
    /// The imports whose records the trace ran on: with them the trace is run again, with paths, for the victim a user asks
    /// about (the digest proves it the same trace). Null for traces stored with every path, before paths were on request.
    /// </summary>
    public List<Guid>? ImportIds { get; set; }
    /// <summary>Per victim: holdings per account and exits per account and reason (paths only in traces stored before ImportIds).</summary>
    public List<VictimTraceView> Victims { get; set; } = [];
    public List<FreezeTargetView> FreezeTargets { get; set; } = [];
    /// <summary>Money moved from node to node (victims, accounts, exits), summed over all victims: the flow picture.</summary>
    public List<FlowEdge> Flow { get; set; } = [];
}

public sealed record FlowEdge(string From, string To, decimal Amount);

/// <summary>The engine's input from a case's imported records.</summary>
public static class TraceInputs
{
    /// <summary>The engine's rule of the same name as the API's.</summary>
    public static AllocationRule EngineRule(TraceRule rule) => Enum.Parse<AllocationRule>(rule.ToString());

    /// <summary>The request for the trace's records; <paramref name="paths"/>: whose paths to report (none by default: compact).</summary>
    public static TraceRequest Build(CaseTrace trace, IReadOnlyList<CaseTransaction> records, TracePaths? paths = null)
    {
        var victims = trace.VictimIds is { Count: > 0 } wanted ? wanted.ToHashSet(StringComparer.Ordinal) : null;
        var payments = new List<VictimPayment>();
        var transactions = new List<TraceTransaction>();
        foreach (var r in records)
        {
            var minor = Currencies.ToMinorUnits(r.Amount, r.Currency);
            if (r.Channel == Contracts.Freeze.TransactionChannel.VictimPayment)
            {
                if (victims is null || victims.Contains(r.VictimId!))
                    payments.Add(new VictimPayment(r.VictimId!, r.TransactionId, r.Timestamp, r.ToAccount!, minor));
                continue;
            }
            transactions.Add(new TraceTransaction(r.TransactionId, r.Timestamp, r.FromAccount, r.ToAccount, minor, r.Channel switch
            {
                Contracts.Freeze.TransactionChannel.Transfer => AssetRecovery.Tracing.TransactionChannel.Transfer,
                Contracts.Freeze.TransactionChannel.CashDeposit => AssetRecovery.Tracing.TransactionChannel.CashDeposit,
                Contracts.Freeze.TransactionChannel.CashWithdrawal => AssetRecovery.Tracing.TransactionChannel.CashWithdrawal,
                Contracts.Freeze.TransactionChannel.OutOfReach => AssetRecovery.Tracing.TransactionChannel.OutOfReach,
                _ => AssetRecovery.Tracing.TransactionChannel.Spent,
            }));
        }
        return new TraceRequest(trace.Currency, Currencies.MinorUnitDigits(trace.Currency), payments, transactions, EngineRule(trace.Rule),
            trace.MaxHops, trace.From, trace.To, Paths: paths,
            MinimumShareMinor: trace.MinimumShare is { } minimum ? Currencies.ToMinorUnits(minimum, trace.Currency) : 0);
    }

    /// <summary>
    /// Runs a completed trace again on the records it ran on, reporting the paths asked for. The digest must be the stored
    /// one (same records, same rule and parameters); otherwise the trace cannot be explained any more and a new one is needed.
    /// </summary>
    public static async Task<TraceResult> RerunAsync(IQuerySession session, CaseTrace trace, TracePaths paths, CancellationToken ct)
    {
        var imports = trace.ImportIds ?? throw new InvalidOperationException($"Trace {trace.Id} did not record its imports.");
        var records = await session.Query<CaseTransaction>()
            .Where(t => t.CaseNumber == trace.CaseNumber && t.Currency == trace.Currency && imports.Contains(t.ImportId))
            .ToListAsync(ct);
        var result = TraceEngine.Trace(Build(trace, records, paths));
        if (result.Digest != trace.Digest)
            throw new DomainRuleViolationException("trace.inputs-changed",
                $"The records trace {trace.Id} ran on have changed since; run the trace again to explain it.");
        return result;
    }
}

/// <summary>The engine's result as the API shows it: money, readable paths and explanations.</summary>
public static class TraceViews
{
    /// <summary>A completed trace's compact result on the document: victims' totals, holdings and exits, targets, the flow picture.</summary>
    public static void Record(CaseTrace trace, TraceRequest request, TraceResult result)
    {
        decimal Money(long minor) => Currencies.FromMinorUnits(minor, result.Currency);
        trace.Digest = result.Digest;
        trace.Victims = result.Victims.Select(v => Victim(v, result, trace.Rule)).ToList();
        trace.FreezeTargets = result.FreezeTargets.Select(a => new FreezeTargetView(a.Account, Money(a.BalanceMinor), Money(a.TracedMinor),
            Money(a.TaintedMinor), Money(a.FreezableMinor), a.ByVictim.Select(b => new VictimShare(b.VictimId, Money(b.AmountMinor))).ToList())).ToList();

        // The picture without paths: victims' payments into accounts, money moved between accounts, exits per account and reason.
        var flow = new FlowSums();
        foreach (var p in request.Payments)
            if (p.AmountMinor > 0 && request.InWindow(p.Timestamp)) flow.Add($"victim:{p.VictimId}", p.ToAccount, Money(p.AmountMinor));
        foreach (var t in result.Transfers) flow.Add(t.FromAccount, t.ToAccount, Money(t.AmountMinor));
        foreach (var v in result.Victims)
            foreach (var e in v.ExitTotals) flow.Add(e.Account, ExitNode(e.Account, e.Reason.ToString()), Money(e.AmountMinor));
        trace.Flow = flow.Edges();
    }

    /// <summary>
    /// One victim's view: with the victim's paths (when the result has them) an amount per path and exit one by one with
    /// their explanations; otherwise an amount per holding and per exit account and reason.
    /// </summary>
    public static VictimTraceView Victim(VictimTrace v, TraceResult result, TraceRule rule)
    {
        decimal Money(long minor) => Currencies.FromMinorUnits(minor, result.Currency);
        if (!v.PathsIncluded)
            return new VictimTraceView(v.VictimId, Money(v.LossMinor), Money(v.HeldMinor), Money(v.ExitedMinor),
                v.Holdings.Select(h => new TracedAmount(h.Account, "Holding", Money(h.AmountMinor), null, [],
                    $"{Money(h.AmountMinor)} {result.Currency} of {v.VictimId}'s money is in {h.Account} now ({rule})")).ToList(),
                v.ExitTotals.Select(e => new TracedAmount(e.Account, e.Reason.ToString(), Money(e.AmountMinor), null, [],
                    $"{Money(e.AmountMinor)} {result.Currency} of {v.VictimId}'s money left the trail: {e.Reason} at {e.Account}")).ToList());

        return new VictimTraceView(v.VictimId, Money(v.LossMinor), Money(v.HeldMinor), Money(v.ExitedMinor),
            v.Holdings.SelectMany(h => h.Shares.Select(share =>
                new TracedAmount(h.Account, "Holding", Money(share.AmountMinor), share.Path.TransactionIds[^1], Steps(share.Path),
                    $"{Money(share.AmountMinor)} {result.Currency} of {v.VictimId}'s money is in {h.Account} now ({Route(share.Path)}; {rule})"))).ToList(),
            v.Exits.Select(e => new TracedAmount(e.Account, e.Reason.ToString(), Money(e.AmountMinor), e.TransactionId, Steps(e.Path),
                $"{Money(e.AmountMinor)} {result.Currency} of {v.VictimId}'s money left the trail: {e.Reason}" +
                (e.Account is null ? "" : $" at {e.Account}") + (e.TransactionId is null ? "" : $" in {e.TransactionId}") + $" ({Route(e.Path)})")).ToList());
    }

    /// <summary>One victim's flow picture along the paths of the victim's view (<see cref="TracedAmount.Path"/>: payment, account, transaction, account, ...).</summary>
    public static List<FlowEdge> VictimFlow(VictimTraceView victim)
    {
        var flow = new FlowSums();
        foreach (var line in victim.Holdings.Concat(victim.Exits))
        {
            var accounts = line.Path.Where((_, i) => i % 2 == 1).ToList();
            if (accounts.Count == 0) continue;
            flow.Add($"victim:{victim.VictimId}", accounts[0], line.Amount);
            for (var i = 1; i < accounts.Count; i++) flow.Add(accounts[i - 1], accounts[i], line.Amount);
            if (line.Kind != "Holding") flow.Add(accounts[^1], ExitNode(accounts[^1], line.Kind), line.Amount);
        }
        return flow.Edges();
    }

    /// <summary>One exit box per account and reason, drawn next to its account.</summary>
    private static string ExitNode(string account, string reason) => $"exit:{reason}@{account}";

    /// <summary>Money summed per (from, to) node pair of a flow picture.</summary>
    private sealed class FlowSums
    {
        private readonly Dictionary<(string From, string To), decimal> sums = [];

        public void Add(string from, string to, decimal amount) => sums[(from, to)] = sums.GetValueOrDefault((from, to)) + amount;

        /// <summary>The edges by From, then To (ordinal), without money that stayed in one node.</summary>
        public List<FlowEdge> Edges() => sums.Where(f => f.Key.From != f.Key.To)
            .OrderBy(f => f.Key.From, StringComparer.Ordinal).ThenBy(f => f.Key.To, StringComparer.Ordinal)
            .Select(f => new FlowEdge(f.Key.From, f.Key.To, f.Value)).ToList();
    }

    /// <summary>Each victim's loss and holdings per account, as the TraceCompleted event carries them to other services.</summary>
    public static IReadOnlyList<VictimTraced> ByVictim(TraceResult result)
    {
        Money Money(long minor) => new(Currencies.FromMinorUnits(minor, result.Currency), result.Currency);
        return result.Victims.Select(v => new VictimTraced(v.VictimId, Money(v.LossMinor), Money(v.HeldMinor),
            v.Holdings.Select(h => new TracedHolding(h.Account, Money(h.AmountMinor))).ToList())).ToList();
    }

    /// <summary>Payment, account, transaction, account, ...: the way the money went.</summary>
    private static List<string> Steps(TracePath path)
    {
        var steps = new List<string>(path.TransactionIds.Count * 2);
        for (var i = 0; i < path.TransactionIds.Count; i++)
        {
            steps.Add(path.TransactionIds[i]);
            steps.Add(path.Accounts[i]);
        }
        return steps;
    }

    private static string Route(TracePath path) => $"paid in {path.TransactionIds[0]} into {path.Accounts[0]}" +
        string.Concat(Enumerable.Range(1, path.TransactionIds.Count - 1).Select(i => $", moved by {path.TransactionIds[i]} to {path.Accounts[i]}"));
}
