namespace AssetRecovery.Tracing;

/// <summary>
/// Checks a result against its request; throws <see cref="TraceInvariantViolation"/> on the first breach.
/// <list type="number">
/// <item>Per victim: holdings + exits == loss (the victim's payments inside the window), exactly.</item>
/// <item>Per account and victim: received == forwarded + exited + remaining, and the same figures recomputed from the
/// paths of the holdings and exits agree with the counters kept while tracing.</item>
/// <item>No negative amounts; balances equal an independent replay of the events; per account the victims' holdings do not
/// exceed the balance (LIBR: claims overlap, so each victim's holding alone must not exceed it).</item>
/// </list>
/// </summary>
public static class TraceInvariants
{
    public static void Check(TraceRequest request, TraceResult result)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(result);
        Check(result, new TraceInput(request));
    }

    internal static void Check(TraceResult result, TraceInput input)
    {
        var request = input.Request;
        if (result.Rule != request.Rule) Fail($"result rule {result.Rule} differs from requested {request.Rule}");

        var expectedLoss = new Dictionary<string, long>(StringComparer.Ordinal);
        var paymentTargets = new Dictionary<string, (string VictimId, string ToAccount)>(StringComparer.Ordinal);
        foreach (var p in request.Payments)
        {
            if (!request.InWindow(p.Timestamp)) continue;
            expectedLoss[p.VictimId] = expectedLoss.GetValueOrDefault(p.VictimId) + p.AmountMinor;
            paymentTargets.TryAdd(p.TransactionId, (p.VictimId, p.ToAccount));
        }

        if (result.Victims.Count != expectedLoss.Count)
            Fail($"{result.Victims.Count} victims in the result, {expectedLoss.Count} with payments in the window");

        // (victim, account) → figures recomputed from the result's holdings, exits and paths.
        var derived = new Dictionary<(string Victim, string Account), Derived>();
        foreach (var victim in result.Victims) CheckVictim(request, victim, expectedLoss, paymentTargets, derived);
        CheckFlows(result, derived);
        CheckAccounts(result, input);
    }

    private sealed class Derived
    {
        public long Received;
        public long Forwarded;
        public long Exited;
        public long Remaining;
    }

    private static void CheckVictim(
        TraceRequest request,
        VictimTrace victim,
        Dictionary<string, long> expectedLoss,
        Dictionary<string, (string VictimId, string ToAccount)> paymentTargets,
        Dictionary<(string, string), Derived> derived)
    {
        var id = victim.VictimId;
        if (!expectedLoss.TryGetValue(id, out var loss)) Fail($"victim {id} has no payment in the window");
        if (victim.LossMinor != loss) Fail($"victim {id}: loss {victim.LossMinor}, payments in the window add up to {loss}");

        long held = 0;
        foreach (var h in victim.Holdings)
        {
            NotNegative(h.AmountMinor, $"victim {id} holding at {h.Account}");
            held += h.AmountMinor;
            if (h.Paths.Count != h.Shares.Count) Fail($"victim {id} holding at {h.Account}: paths and shares differ in number");
            long shares = 0;
            foreach (var share in h.Shares)
            {
                NotNegative(share.AmountMinor, $"victim {id} holding share at {h.Account}");
                shares += share.AmountMinor;
                CheckPath(request, id, share.Path, h.Account, paymentTargets);
                AddPath(derived, id, share.Path, share.AmountMinor);
            }

            if (shares != h.AmountMinor) Fail($"victim {id} holding at {h.Account}: shares add up to {shares}, not {h.AmountMinor}");
            Get(derived, id, h.Account).Remaining += h.AmountMinor;
        }

        long exited = 0;
        foreach (var e in victim.Exits)
        {
            NotNegative(e.AmountMinor, $"victim {id} exit {e.Reason} at {e.Account}");
            exited += e.AmountMinor;
            if (e.Account is null) Fail($"victim {id} exit {e.Reason} without account");
            CheckPath(request, id, e.Path, e.Account!, paymentTargets);
            AddPath(derived, id, e.Path, e.AmountMinor);
            Get(derived, id, e.Account!).Exited += e.AmountMinor;
        }

        if (held + exited != loss)
            Fail($"victim {id}: holdings {held} + exits {exited} = {held + exited}, loss is {loss}");
    }

    private static void CheckPath(
        TraceRequest request, string victimId, TracePath path, string account,
        Dictionary<string, (string VictimId, string ToAccount)> paymentTargets)
    {
        if (path.TransactionIds.Count == 0 || path.TransactionIds.Count != path.Accounts.Count)
            Fail($"victim {victimId}: malformed path {path}");
        if (!paymentTargets.TryGetValue(path.TransactionIds[0], out var payment) || payment.VictimId != victimId
            || payment.ToAccount != path.Accounts[0])
            Fail($"victim {victimId}: path {path} does not start with one of the victim's payments");
        if (path.LastAccount != account) Fail($"victim {victimId}: path {path} does not end at {account}");
        if (path.Hops > request.MaxHops) Fail($"victim {victimId}: path {path} has more than {request.MaxHops} hops");
    }

    /// <summary>Money on a path entered every account on it; it moved on from all but the last.</summary>
    private static void AddPath(Dictionary<(string, string), Derived> derived, string victimId, TracePath path, long amount)
    {
        var accounts = path.Accounts;
        for (var i = 0; i < accounts.Count; i++)
        {
            var d = Get(derived, victimId, accounts[i]);
            d.Received += amount;
            if (i < accounts.Count - 1) d.Forwarded += amount;
        }
    }

    private static void CheckFlows(TraceResult result, Dictionary<(string, string), Derived> derived)
    {
        var seen = new HashSet<(string, string)>();
        foreach (var f in result.Flows)
        {
            var at = $"victim {f.VictimId} at {f.Account}";
            NotNegative(f.ReceivedMinor, at + " received");
            NotNegative(f.ForwardedMinor, at + " forwarded");
            NotNegative(f.ExitedMinor, at + " exited");
            NotNegative(f.RemainingMinor, at + " remaining");
            if (!seen.Add((f.VictimId, f.Account))) Fail($"{at}: flow listed twice");
            if (f.ReceivedMinor != f.ForwardedMinor + f.ExitedMinor + f.RemainingMinor)
                Fail($"{at}: received {f.ReceivedMinor} != forwarded {f.ForwardedMinor} + exited {f.ExitedMinor} + remaining {f.RemainingMinor}");
            var d = derived.GetValueOrDefault((f.VictimId, f.Account)) ?? new Derived();
            if (d.Received != f.ReceivedMinor || d.Forwarded != f.ForwardedMinor || d.Exited != f.ExitedMinor
                || d.Remaining != f.RemainingMinor)
                Fail($"{at}: counted (in {f.ReceivedMinor}, on {f.ForwardedMinor}, out {f.ExitedMinor}, left {f.RemainingMinor}) "
                     + $"but paths show (in {d.Received}, on {d.Forwarded}, out {d.Exited}, left {d.Remaining})");
        }

        foreach (var (key, d) in derived)
            if (!seen.Contains(key) && (d.Received | d.Forwarded | d.Exited | d.Remaining) != 0)
                Fail($"victim {key.Item1} at {key.Item2}: money on paths but no flow recorded");
    }

    private static void CheckAccounts(TraceResult result, TraceInput input)
    {
        var request = input.Request;
        var balances = ReplayBalances(input);
        var holdings = new Dictionary<(string, string), long>();
        foreach (var v in result.Victims)
            foreach (var h in v.Holdings)
                holdings[(v.VictimId, h.Account)] = holdings.GetValueOrDefault((v.VictimId, h.Account)) + h.AmountMinor;

        var listed = new HashSet<string>(StringComparer.Ordinal);
        var libr = request.Rule == AllocationRule.Libr;
        foreach (var a in result.Accounts)
        {
            if (!listed.Add(a.Account)) Fail($"account {a.Account} listed twice");
            NotNegative(a.BalanceMinor, $"account {a.Account} balance");
            NotNegative(a.TracedMinor, $"account {a.Account} traced");
            NotNegative(a.TaintedMinor, $"account {a.Account} tainted");
            var replayed = input.AccountIds.TryGetValue(a.Account, out var id) ? balances[id] : 0;
            if (a.BalanceMinor != replayed) Fail($"account {a.Account}: balance {a.BalanceMinor}, replay gives {replayed}");

            long sum = 0;
            foreach (var (victimId, amount) in a.ByVictim)
            {
                NotNegative(amount, $"account {a.Account} victim {victimId}");
                sum += amount;
                if (holdings.GetValueOrDefault((victimId, a.Account)) != amount)
                    Fail($"account {a.Account}: {victimId} has {amount} by account, {holdings.GetValueOrDefault((victimId, a.Account))} by victim");
                if (libr && amount > a.BalanceMinor)
                    Fail($"account {a.Account}: LIBR claim of {victimId} {amount} exceeds balance {a.BalanceMinor}");
            }

            if (sum != a.TracedMinor) Fail($"account {a.Account}: victims add up to {sum}, traced is {a.TracedMinor}");
            if (!libr && a.TracedMinor > a.BalanceMinor)
                Fail($"account {a.Account}: traced {a.TracedMinor} exceeds balance {a.BalanceMinor}");
            if (request.Rule == AllocationRule.Poison)
            {
                if (a.TaintedMinor != a.BalanceMinor && !(a.TaintedMinor == 0 && a.TracedMinor == 0))
                    Fail($"account {a.Account}: poison taint {a.TaintedMinor} is not the whole balance {a.BalanceMinor}");
            }
            else if (a.TaintedMinor != a.TracedMinor)
            {
                Fail($"account {a.Account}: tainted {a.TaintedMinor} differs from traced {a.TracedMinor}");
            }
        }

        foreach (var (victimId, account) in holdings.Keys)
            if (!listed.Contains(account)) Fail($"victim {victimId} holds money at {account}, which is not among the accounts");

        var expectedTargets = result.Accounts.Where(a => a.TaintedMinor > 0).ToList();
        expectedTargets.Sort(TraceEngine.CompareFreezeTargets);
        if (!expectedTargets.Select(a => a.Account).SequenceEqual(result.FreezeTargets.Select(a => a.Account), StringComparer.Ordinal))
            Fail("freeze targets are not the tainted accounts by amount descending, then account");
    }

    /// <summary>Balances from the events alone, with the shortfall rule: an account never goes below zero.</summary>
    private static long[] ReplayBalances(TraceInput input)
    {
        var request = input.Request;
        var balances = new long[input.AccountNames.Count];
        if (request.OpeningBalances is not null)
            foreach (var (account, amount) in request.OpeningBalances) balances[input.AccountIds[account]] = amount;

        foreach (var e in input.Order)
        {
            if (e.Kind == 0)
            {
                if (input.PaymentActive[e.Index]) balances[input.PaymentTo[e.Index]] += request.Payments[e.Index].AmountMinor;
                continue;
            }

            if (!input.TxActive[e.Index]) continue;
            var amount = request.Transactions[e.Index].AmountMinor;
            var from = input.TxFrom[e.Index];
            if (from != TraceInput.NoAccount) balances[from] -= Math.Min(balances[from], amount);
            var to = input.TxTo[e.Index];
            if (to != TraceInput.NoAccount) balances[to] += amount;
        }

        return balances;
    }

    private static Derived Get(Dictionary<(string, string), Derived> derived, string victimId, string account)
    {
        if (!derived.TryGetValue((victimId, account), out var d)) derived[(victimId, account)] = d = new Derived();
        return d;
    }

    private static void NotNegative(long amount, string what)
    {
        if (amount < 0) Fail($"{what} is negative ({amount})");
    }

    private static void Fail(string message) => throw new TraceInvariantViolation("Trace invariant violated: " + message);
}
