using AssetRecovery.BuildingBlocks;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Tracing;

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
    public List<VictimTraceView> Victims { get; set; } = [];
    public List<FreezeTargetView> FreezeTargets { get; set; } = [];
    /// <summary>Money moved from node to node (victims, accounts, exits), summed over all victims: the flow picture.</summary>
    public List<FlowEdge> Flow { get; set; } = [];
}

public sealed record FlowEdge(string From, string To, decimal Amount);

/// <summary>The engine's input from a case's imported records.</summary>
public static class TraceInputs
{
    public static TraceRequest Build(CaseTrace trace, IReadOnlyList<CaseTransaction> records)
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
        return new TraceRequest(trace.Currency, Currencies.MinorUnitDigits(trace.Currency), payments, transactions, Enum.Parse<AllocationRule>(trace.Rule.ToString()),
            trace.MaxHops, trace.From, trace.To);
    }
}

/// <summary>The engine's result as the API shows it: money, readable paths and explanations.</summary>
public static class TraceViews
{
    public static void Record(CaseTrace trace, TraceResult result)
    {
        decimal Money(long minor) => Currencies.FromMinorUnits(minor, result.Currency);
        var rule = trace.Rule;
        trace.Digest = result.Digest;
        trace.Victims = result.Victims.Select(v => new VictimTraceView(v.VictimId, Money(v.LossMinor), Money(v.HeldMinor), Money(v.ExitedMinor),
            v.Holdings.SelectMany(h => (h.Shares.Count > 0 ? h.Shares : h.Paths.Select(p => new PathShare(p, h.AmountMinor))).Select(share =>
                new TracedAmount(h.Account, "Holding", Money(share.AmountMinor), share.Path.TransactionIds[^1], Steps(share.Path),
                    $"{Money(share.AmountMinor)} {result.Currency} of {v.VictimId}'s money is in {h.Account} now ({Route(share.Path)}; {rule})"))).ToList(),
            v.Exits.Select(e => new TracedAmount(e.Account, e.Reason.ToString(), Money(e.AmountMinor), e.TransactionId, Steps(e.Path),
                $"{Money(e.AmountMinor)} {result.Currency} of {v.VictimId}'s money left the trail: {e.Reason}" +
                (e.Account is null ? "" : $" at {e.Account}") + (e.TransactionId is null ? "" : $" in {e.TransactionId}") + $" ({Route(e.Path)})")).ToList()))
            .ToList();
        trace.FreezeTargets = result.FreezeTargets.Select(a => new FreezeTargetView(a.Account, Money(a.BalanceMinor), Money(a.TracedMinor),
            Money(a.TaintedMinor), Money(a.FreezableMinor), a.ByVictim.Select(b => new VictimShare(b.VictimId, Money(b.AmountMinor))).ToList())).ToList();

        var flow = new Dictionary<(string, string), long>();
        void Add(string from, string to, long minor) => flow[(from, to)] = flow.GetValueOrDefault((from, to)) + minor;
        void Along(string victim, TracePath path, long minor, string? exit)
        {
            Add($"victim:{victim}", path.Accounts[0], minor);
            for (var i = 1; i < path.Accounts.Count; i++) Add(path.Accounts[i - 1], path.Accounts[i], minor);
            // One exit box per account and reason, drawn next to its account.
            if (exit is not null) Add(path.Accounts[^1], $"exit:{exit}@{path.Accounts[^1]}", minor);
        }
        foreach (var v in result.Victims)
        {
            foreach (var h in v.Holdings)
                foreach (var share in h.Shares.Count > 0 ? h.Shares : h.Paths.Take(1).Select(p => new PathShare(p, h.AmountMinor)))
                    Along(v.VictimId, share.Path, share.AmountMinor, null);
            foreach (var e in v.Exits) Along(v.VictimId, e.Path, e.AmountMinor, e.Reason.ToString());
        }
        trace.Flow = flow.Where(f => f.Key.Item1 != f.Key.Item2).OrderBy(f => f.Key.Item1, StringComparer.Ordinal).ThenBy(f => f.Key.Item2, StringComparer.Ordinal)
            .Select(f => new FlowEdge(f.Key.Item1, f.Key.Item2, Money(f.Value))).ToList();
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
