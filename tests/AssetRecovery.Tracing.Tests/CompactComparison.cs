using AssetRecovery.Tracing;

namespace AssetRecovery.Tracing.Tests;

/// <summary>Compares a compact result with the full one, summing the full one's paths and exits independently of the engine.</summary>
internal static class CompactComparison
{
    /// <summary>
    /// Same digest, accounts, freeze targets and flows; per victim the same loss and holdings (account, amount), and exit
    /// totals equal to the full result's exits one by one summed per account (ordinal) and reason; no paths in the compact one.
    /// </summary>
    public static void AssertCompactIsFullSummed(TraceResult full, TraceResult compact)
    {
        Assert.Equal(full.Digest, compact.Digest);
        Assert.Equal(full.Victims.Select(v => v.VictimId), compact.Victims.Select(v => v.VictimId));
        for (var i = 0; i < full.Victims.Count; i++)
        {
            var f = full.Victims[i];
            var c = compact.Victims[i];
            Assert.True(f.PathsIncluded);
            Assert.False(c.PathsIncluded);
            Assert.Equal(f.LossMinor, c.LossMinor);
            Assert.Equal(f.Holdings.Select(h => (h.Account, h.AmountMinor)), c.Holdings.Select(h => (h.Account, h.AmountMinor)));
            Assert.Equal(f.Holdings.Select(h => (h.Account, h.Shares.Sum(s => s.AmountMinor))), c.Holdings.Select(h => (h.Account, h.AmountMinor)));
            Assert.All(c.Holdings, h => Assert.Empty(h.Paths));
            Assert.Empty(c.Exits);
            Assert.Equal(SummedExits(f), c.ExitTotals.Select(e => (e.Account, e.Reason, e.AmountMinor)));
            Assert.Equal(f.ExitTotals, c.ExitTotals);
        }

        Assert.Equal(full.Transfers, compact.Transfers);
        Assert.Equal(TransfersAlongPaths(full), compact.Transfers);
        Assert.Equal(Accounts(full.Accounts), Accounts(compact.Accounts));
        Assert.Equal(Accounts(full.FreezeTargets), Accounts(compact.FreezeTargets));
        Assert.Equal(full.Flows, compact.Flows);
    }

    /// <summary>A full result's exits one by one, summed per account (ordinal), then reason.</summary>
    public static IEnumerable<(string Account, ExitReason Reason, long Amount)> SummedExits(VictimTrace victim) =>
        victim.Exits.GroupBy(e => (e.Account!, e.Reason))
            .Select(g => (g.Key.Item1, g.Key.Reason, g.Sum(e => e.AmountMinor)))
            .OrderBy(e => e.Item1, StringComparer.Ordinal).ThenBy(e => e.Reason)
            .ToList();

    /// <summary>Every hop of every path (holding shares and exits) with the path's amount, summed per account pair.</summary>
    public static IEnumerable<TracedTransfer> TransfersAlongPaths(TraceResult full)
    {
        var paths = full.Victims.SelectMany(v => v.Holdings.SelectMany(h => h.Shares).Concat(v.Exits.Select(e => new PathShare(e.Path, e.AmountMinor))));
        return paths.SelectMany(p => Enumerable.Range(1, p.Path.Accounts.Count - 1).Select(i => (From: p.Path.Accounts[i - 1], To: p.Path.Accounts[i], p.AmountMinor)))
            .GroupBy(e => (e.From, e.To))
            .Select(g => new TracedTransfer(g.Key.From, g.Key.To, g.Sum(e => e.AmountMinor)))
            .OrderBy(t => t.FromAccount, StringComparer.Ordinal).ThenBy(t => t.ToAccount, StringComparer.Ordinal)
            .ToList();
    }

    public static IEnumerable<string> Accounts(IReadOnlyList<AccountTrace> accounts) =>
        accounts.Select(a => $"{a.Account} {a.BalanceMinor} {a.TracedMinor} {a.TaintedMinor} {string.Join(",", a.ByVictim)}");

    /// <summary>One victim's paths as text: each holding's shares (path and amount), then each exit with its transaction and path.</summary>
    public static IEnumerable<string> Paths(VictimTrace victim) =>
        victim.Holdings.SelectMany(h => h.Shares.Select(s => $"hold {h.Account} {s.AmountMinor} {s.Path}"))
            .Concat(victim.Holdings.SelectMany(h => h.Paths.Select(p => $"path {h.Account} {p}")))
            .Concat(victim.Exits.Select(e => $"exit {e.Reason} {e.Account} {e.TransactionId} {e.AmountMinor} {e.Path}"));
}
