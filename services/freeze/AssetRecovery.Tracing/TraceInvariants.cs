using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AssetRecovery.Tracing;

/// <summary>
/// Checks a result against its request; throws <see cref="TraceInvariantViolation"/> on the first breach.
/// <list type="number">
/// <item>Per victim: holdings + exits == loss (the victim's payments inside the window), exactly.</item>
/// <item>Per account and victim: received == forwarded + exited + remaining; remaining is the holding there and exited the
/// exit totals there.</item>
/// <item>For a victim whose paths were asked for: every path starts with one of the victim's payments and ends where its
/// amount is; the figures recomputed from the paths (so also what one hop sent on and the next received) agree with the
/// counters kept while tracing; the exits one by one add up to the exit totals. Without paths that link between hops
/// cannot be recomputed from the result.</item>
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
        var derived = new DerivedFlows(input, result.Victims.Count, result.Flows.Count);
        for (var v = 0; v < result.Victims.Count; v++)
            CheckVictim(request, v, result.Victims[v], expectedLoss, paymentTargets, derived);
        CheckFlows(result, derived);
        CheckAccounts(result, input);
    }

    private struct Derived
    {
        public long Received;
        public long Forwarded;
        public long Exited;
        public long Remaining;
        public bool Seen;
    }

    /// <summary>Figures per (victim, account), keyed by the victim's position in the result and the account's id.</summary>
    private sealed class DerivedFlows(TraceInput input, int victims, int flows)
    {
        // One entry per flow in a correct result: sized once rather than grown (and copied) step by step.
        private readonly Dictionary<long, Derived> figures = new(flows);
        private readonly Dictionary<string, int> extraAccounts = new(StringComparer.Ordinal);
        public readonly Dictionary<string, int> VictimIndex = new(victims, StringComparer.Ordinal);
        public readonly TraceInput Input = input;
        private readonly long stride = victims + 1L;

        public string AccountName(long id) =>
            id < Input.AccountNames.Count ? Input.AccountNames[(int)id] : extraAccounts.First(kv => kv.Value == id).Key;

        public (int Victim, int Account) Split(long key) => ((int)(key % stride), (int)(key / stride));

        public int AccountId(string account)
        {
            if (Input.AccountIds.TryGetValue(account, out var id)) return id;
            ref var extra = ref CollectionsMarshal.GetValueRefOrAddDefault(extraAccounts, account, out var exists);
            if (!exists) extra = Input.AccountNames.Count + extraAccounts.Count - 1;
            return extra;
        }

        public ref Derived Get(int victim, int account) =>
            ref CollectionsMarshal.GetValueRefOrAddDefault(figures, account * stride + victim, out _);

        public ref Derived Find(int victim, int account, out bool exists)
        {
            ref var d = ref CollectionsMarshal.GetValueRefOrNullRef(figures, account * stride + victim);
            exists = !Unsafe.IsNullRef(ref d);
            return ref d;
        }

        public Dictionary<long, Derived> All => figures;
    }

    private static void CheckVictim(
        TraceRequest request,
        int index,
        VictimTrace victim,
        Dictionary<string, long> expectedLoss,
        Dictionary<string, (string VictimId, string ToAccount)> paymentTargets,
        DerivedFlows derived)
    {
        var id = victim.VictimId;
        if (!expectedLoss.TryGetValue(id, out var loss)) Fail($"victim {id} has no payment in the window");
        if (victim.LossMinor != loss) Fail($"victim {id}: loss {victim.LossMinor}, payments in the window add up to {loss}");
        if (!derived.VictimIndex.TryAdd(id, index)) Fail($"victim {id} listed twice");
        var chains = new ChainSums(request, id, index, paymentTargets, derived);

        var withPaths = victim.PathsIncluded;
        long held = 0;
        foreach (var h in victim.Holdings)
        {
            if (h.AmountMinor < 0) Negative(h.AmountMinor, $"victim {id} holding at {h.Account}");
            held += h.AmountMinor;
            if (h.Paths.Count != h.Shares.Count) Fail($"victim {id} holding at {h.Account}: paths and shares differ in number");
            if (!withPaths)
            {
                if (h.Paths.Count != 0) Fail($"victim {id} holding at {h.Account}: paths given, but not asked for");
            }
            else
            {
                long shares = 0;
                foreach (var share in h.Shares)
                {
                    if (share.AmountMinor < 0) Negative(share.AmountMinor, $"victim {id} holding share at {h.Account}");
                    shares += share.AmountMinor;
                    AddPath(request, id, index, share.Path, h.Account, share.AmountMinor, paymentTargets, derived, chains);
                }

                if (shares != h.AmountMinor) Fail($"victim {id} holding at {h.Account}: shares add up to {shares}, not {h.AmountMinor}");
            }

            derived.Get(index, derived.AccountId(h.Account)).Remaining += h.AmountMinor;
        }

        long exited = 0;
        var totals = new Dictionary<(string, ExitReason), long>();
        foreach (var e in victim.ExitTotals)
        {
            if (e.AmountMinor <= 0) Fail($"victim {id} exit total {e.Reason} at {e.Account} is {e.AmountMinor}, not positive");
            if (!totals.TryAdd((e.Account, e.Reason), e.AmountMinor)) Fail($"victim {id} exit total {e.Reason} at {e.Account} listed twice");
            if (e.Reason == ExitReason.BelowMinimumShare && request.MinimumShareMinor == 0)
                Fail($"victim {id}: money left the trail below a minimum share at {e.Account}, but the trace has none");
            exited += e.AmountMinor;
            derived.Get(index, derived.AccountId(e.Account)).Exited += e.AmountMinor;
        }

        if (!withPaths && victim.Exits.Count != 0) Fail($"victim {id}: exits with paths given, but not asked for");
        foreach (var e in victim.Exits)
        {
            if (e.AmountMinor < 0) Negative(e.AmountMinor, $"victim {id} exit {e.Reason} at {e.Account}");
            if (e.Account is null) Fail($"victim {id} exit {e.Reason} without account");
            AddPath(request, id, index, e.Path, e.Account!, e.AmountMinor, paymentTargets, derived, chains);
            ref var total = ref CollectionsMarshal.GetValueRefOrNullRef(totals, (e.Account!, e.Reason));
            if (Unsafe.IsNullRef(ref total)) Fail($"victim {id}: exit {e.Reason} at {e.Account} is not among the exit totals");
            total -= e.AmountMinor;
        }

        if (withPaths)
            foreach (var ((account, reason), left) in totals)
                if (left != 0) Fail($"victim {id}: exits {reason} at {account} one by one differ from their total by {left}");

        chains.Finish();
        if (held + exited != loss)
            Fail($"victim {id}: holdings {held} + exits {exited} = {held + exited}, loss is {loss}");
    }

    /// <summary>
    /// Money on a path entered every account on it; it moved on from all but the last. A path the engine built reads its
    /// hops from shared nodes (<see cref="PathHopList"/>): its amount is added once at its last node, and
    /// <see cref="ChainSums.Finish"/> carries the sums from each node to the one before it, so a hop shared by many paths
    /// is counted once with their total instead of once per path. Any other path is walked hop by hop.
    /// </summary>
    private static void AddPath(
        TraceRequest request, string victimId, int victim, TracePath path, string account, long amount,
        Dictionary<string, (string VictimId, string ToAccount)> paymentTargets, DerivedFlows derived, ChainSums chains)
    {
        if (path.TransactionIds is PathHopList ids && path.Accounts is PathHopList accounts && ReferenceEquals(ids.Last, accounts.Last)
            && accounts.AccountNames == derived.Input.AccountNames)
        {
            var last = ids.Last;
            if (!string.Equals(derived.Input.AccountNames[last.Account], account, StringComparison.Ordinal))
                Fail($"victim {victimId}: path {path} does not end at {account}");
            if (last.Hops > request.MaxHops) Fail($"victim {victimId}: path {path} has more than {request.MaxHops} hops");
            chains.Add(last, amount);
            return;
        }

        CheckPath(request, victimId, path, account, paymentTargets);
        var names = path.Accounts;
        for (var i = 0; i < names.Count; i++)
        {
            ref var d = ref derived.Get(victim, derived.AccountId(names[i]));
            d.Received += amount;
            if (i < names.Count - 1) d.Forwarded += amount;
        }
    }

    /// <summary>Per-node sums of one victim's engine-built paths, folded from the deepest hop back to the payments.</summary>
    private sealed class ChainSums(
        TraceRequest request, string victimId, int victim,
        Dictionary<string, (string VictimId, string ToAccount)> paymentTargets, DerivedFlows derived)
    {
        private readonly Dictionary<PathNode, int> index = new(ReferenceEqualityComparer.Instance);
        private readonly List<PathNode> nodes = [];
        private readonly List<long> ending = [];
        private readonly List<long> through = [];
        private List<int>[]? levels;

        public void Add(PathNode last, long amount)
        {
            var i = Slot(last);
            ending[i] += amount;
        }

        private int Slot(PathNode node)
        {
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(index, node, out var exists);
            if (exists) return slot;
            slot = nodes.Count;
            nodes.Add(node);
            ending.Add(0);
            through.Add(0);
            levels ??= new List<int>[request.MaxHops + 1];
            if (node.Hops < 0 || node.Hops > request.MaxHops) Fail($"victim {victimId}: a path has {node.Hops} hops");
            (levels[node.Hops] ??= []).Add(slot);
            return slot;
        }

        public void Finish()
        {
            if (levels is null) return;
            var names = derived.Input.AccountNames;
            for (var hop = levels.Length - 1; hop >= 0; hop--)
            {
                var level = levels[hop];
                if (level is null) continue;
                foreach (var i in level)
                {
                    var node = nodes[i];
                    var total = ending[i] + through[i];
                    ref var d = ref derived.Get(victim, node.Account);
                    d.Received += total;
                    d.Forwarded += through[i];
                    if (hop == 0)
                    {
                        if (node.Parent is not null) Fail($"victim {victimId}: a path's first hop has a predecessor");
                        if (!paymentTargets.TryGetValue(node.TransactionId, out var payment) || payment.VictimId != victimId
                            || payment.ToAccount != names[node.Account])
                            Fail($"victim {victimId}: path {node.ToTracePath(names)} does not start with one of the victim's payments");
                        continue;
                    }

                    if (node.Parent is null || node.Parent.Hops != hop - 1)
                        Fail($"victim {victimId}: path {node.ToTracePath(names)} is malformed");
                    var parent = Slot(node.Parent!);
                    through[parent] += total;
                }
            }
        }
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

    private static void CheckFlows(TraceResult result, DerivedFlows derived)
    {
        foreach (var f in result.Flows)
        {
            string At() => $"victim {f.VictimId} at {f.Account}";
            if (f.ReceivedMinor < 0) Negative(f.ReceivedMinor, At() + " received");
            if (f.ForwardedMinor < 0) Negative(f.ForwardedMinor, At() + " forwarded");
            if (f.ExitedMinor < 0) Negative(f.ExitedMinor, At() + " exited");
            if (f.RemainingMinor < 0) Negative(f.RemainingMinor, At() + " remaining");
            if (f.ReceivedMinor != f.ForwardedMinor + f.ExitedMinor + f.RemainingMinor)
                Fail($"{At()}: received {f.ReceivedMinor} != forwarded {f.ForwardedMinor} + exited {f.ExitedMinor} + remaining {f.RemainingMinor}");
            if (!derived.VictimIndex.TryGetValue(f.VictimId, out var victim))
            {
                Fail($"{At()}: no such victim in the result");
                return;
            }

            ref var d = ref derived.Find(victim, derived.AccountId(f.Account), out var exists);
            var e = exists ? d : default;
            if (e.Seen) Fail($"{At()}: flow listed twice");
            // Without paths, only what stays and what left can be recomputed (from the holdings and the exit totals).
            var withPaths = result.Victims[victim].PathsIncluded;
            if ((withPaths && (e.Received != f.ReceivedMinor || e.Forwarded != f.ForwardedMinor))
                || e.Exited != f.ExitedMinor || e.Remaining != f.RemainingMinor)
                Fail($"{At()}: counted (in {f.ReceivedMinor}, on {f.ForwardedMinor}, out {f.ExitedMinor}, left {f.RemainingMinor}) "
                     + $"but {(withPaths ? "paths" : "holdings and exit totals")} show "
                     + $"({(withPaths ? $"in {e.Received}, on {e.Forwarded}, " : "")}out {e.Exited}, left {e.Remaining})");
            if (exists) d.Seen = true;
            else derived.Get(victim, derived.AccountId(f.Account)).Seen = true;
        }

        foreach (var (key, d) in derived.All)
            if (!d.Seen && (d.Received | d.Forwarded | d.Exited | d.Remaining) != 0)
            {
                var (victim, account) = derived.Split(key);
                var name = derived.VictimIndex.First(kv => kv.Value == victim).Key;
                Fail($"victim {name} at {derived.AccountName(account)}: money traced there but no flow recorded");
            }
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
            if (a.BalanceMinor < 0) Negative(a.BalanceMinor, $"account {a.Account} balance");
            if (a.TracedMinor < 0) Negative(a.TracedMinor, $"account {a.Account} traced");
            if (a.TaintedMinor < 0) Negative(a.TaintedMinor, $"account {a.Account} tainted");
            var replayed = input.AccountIds.TryGetValue(a.Account, out var id) ? balances[id] : 0;
            if (a.BalanceMinor != replayed) Fail($"account {a.Account}: balance {a.BalanceMinor}, replay gives {replayed}");

            long sum = 0;
            foreach (var (victimId, amount) in a.ByVictim)
            {
                if (amount < 0) Negative(amount, $"account {a.Account} victim {victimId}");
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

    private static void Negative(long amount, string what) => Fail($"{what} is negative ({amount})");

    private static void Fail(string message) => throw new TraceInvariantViolation("Trace invariant violated: " + message);
}
