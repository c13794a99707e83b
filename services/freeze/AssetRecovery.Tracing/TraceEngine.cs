using AssetRecovery.BuildingBlocks;
using System.Runtime.InteropServices;

namespace AssetRecovery.Tracing;

/// <summary>
/// Traces each victim's money through the accounts to where it is now.
/// <list type="bullet">
/// <item>Events run in <see cref="EventOrder"/>: by instant, payments before transactions at the same instant, then TransactionId (ordinal).</item>
/// <item>Only events inside the request's window count (From and To inclusive); opening balances are own money at the start.</item>
/// <item>An outflow larger than the balance: the shortfall is untraced outside money (an account never goes negative); on a
/// transfer the destination receives it as own money.</item>
/// <item>A transfer from an account with no money in the trace (external) brings own, untraced money.</item>
/// <item>A transaction that is the bank's copy of a victim payment (same id, destination and amount, channel Transfer) is
/// not applied again.</item>
/// <item>A victim share whose next hop would exceed MaxHops leaves the trail at its current account (MaxHopsReached); the
/// destination still receives the money, as untraced.</item>
/// <item>With a minimum share (pro rata, haircut, poison): a victim's share of a transfer below it leaves the trail at the
/// sending account (BelowMinimumShare), the destination receiving it as untraced; so does a victim's money left in an
/// account below it after an outflow, which stays there as the holder's own.</item>
/// <item>Poison: an account is touched by a victim payment or by a transfer out of a touched account (within MaxHops); its
/// whole balance is tainted from then on. Per-victim figures under Poison are the Haircut split.</item>
/// </list>
/// The result is compact unless <see cref="TraceRequest.Paths"/> asks for paths: paths are built only for the victims named
/// there (a path node per hop of their money), so the cost of the others is their amounts per account, not their routes.
/// Every result is checked by <see cref="TraceInvariants"/> before it is returned.
/// </summary>
public static class TraceEngine
{
    /// <summary>
    /// Traces <paramref name="request"/>. <paramref name="progress"/>, when given, is told how many of the request's events
    /// (payments and transactions, <see cref="TraceProgress.Total"/>) have been applied: at most about 100 reports, in
    /// increasing order, on the calling thread; the last one (Processed == Total) comes once the result has been built and
    /// checked, just before it is returned.
    /// </summary>
    public static TraceResult Trace(TraceRequest request, IProgress<TraceProgress>? progress = null)
    {
        Validate(request);
        var input = new TraceInput(request);
        var digest = TraceDigest.Compute(request, input.Order);
        var run = new Run(input);
        run.Execute(progress);
        var result = run.BuildResult(digest);
        TraceInvariants.Check(result, input);
        progress?.Report(new TraceProgress(input.Order.Length, input.Order.Length));
        return result;
    }

    private static void Validate(TraceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Currency)) throw new ArgumentException("Currency is required.", nameof(request));
        if (request.MinorUnitDigits is < 0 or > 18) throw new ArgumentException("MinorUnitDigits must be 0..18.", nameof(request));
        if (request.MaxHops < 0) throw new ArgumentException("MaxHops must not be negative.", nameof(request));
        if (request.From > request.To) throw new ArgumentException("From must not be after To.", nameof(request));
        if (request.MinimumShareMinor < 0) throw new ArgumentException("MinimumShareMinor must not be negative.", nameof(request));
        if (request.MinimumShareMinor > 0 && !TraceRequest.SharesOutflows(request.Rule))
            throw new ArgumentException($"A minimum share applies to ProRata, Haircut and Poison, not {request.Rule}.", nameof(request));
        if (!Enum.IsDefined(request.Rule)) throw new ArgumentException($"Unknown rule {request.Rule}.", nameof(request));
        ArgumentNullException.ThrowIfNull(request.Payments);
        ArgumentNullException.ThrowIfNull(request.Transactions);

        if (request.OpeningBalances is not null)
        {
            foreach (var (account, amount) in request.OpeningBalances)
            {
                if (string.IsNullOrEmpty(account)) throw new ArgumentException("Opening balance without account.", nameof(request));
                if (amount < 0) throw new ArgumentException($"Opening balance of {account} is negative.", nameof(request));
            }
        }

        foreach (var p in request.Payments)
        {
            if (p is null) throw new ArgumentException("Null payment.", nameof(request));
            if (string.IsNullOrEmpty(p.VictimId) || string.IsNullOrEmpty(p.TransactionId) || string.IsNullOrEmpty(p.ToAccount))
                throw new ArgumentException($"Payment {p.TransactionId} needs VictimId, TransactionId and ToAccount.", nameof(request));
            if (p.AmountMinor < 0) throw new ArgumentException($"Payment {p.TransactionId} has a negative amount.", nameof(request));
        }

        foreach (var t in request.Transactions)
        {
            if (t is null) throw new ArgumentException("Null transaction.", nameof(request));
            if (string.IsNullOrEmpty(t.TransactionId)) throw new ArgumentException("Transaction without id.", nameof(request));
            if (t.AmountMinor < 0) throw new ArgumentException($"Transaction {t.TransactionId} has a negative amount.", nameof(request));
            var (needsFrom, needsTo) = t.Channel switch
            {
                TransactionChannel.Transfer => (true, true),
                TransactionChannel.CashDeposit => (false, true),
                TransactionChannel.CashWithdrawal or TransactionChannel.OutOfReach or TransactionChannel.Spent => (true, false),
                _ => throw new ArgumentException($"Transaction {t.TransactionId} has unknown channel {t.Channel}.", nameof(request)),
            };
            if (needsFrom && string.IsNullOrEmpty(t.FromAccount))
                throw new ArgumentException($"Transaction {t.TransactionId} ({t.Channel}) needs FromAccount.", nameof(request));
            if (needsTo && string.IsNullOrEmpty(t.ToAccount))
                throw new ArgumentException($"Transaction {t.TransactionId} ({t.Channel}) needs ToAccount.", nameof(request));
        }
    }

    private readonly record struct ExitRecord(ExitReason Reason, int Account, string TransactionId, long Amount, PathNode Path);

    private sealed class Run
    {
        private readonly TraceInput input;
        private readonly TraceRequest request;
        private readonly AllocationRule rule;
        private readonly List<string> accountNames;
        // An account gets a book only when victims' money (or poison) reaches it; until then only its balance (all own
        // money) is kept. Equivalent for every rule — own money merges into one lot — and much cheaper for the many
        // accounts the victims' money never touches.
        private readonly AccountBook?[] books;
        private readonly long[] plainBalances;
        private readonly Dictionary<string, int> victimIndex = new(StringComparer.Ordinal);
        private readonly string[] victimNames;
        private readonly long[] losses;
        // Paths are built only for these victims (TracePaths); the others' lots carry their hop count alone.
        private readonly bool[] withPaths;
        // Exits one by one, kept only for the victims with paths; every victim's exit totals are in the flow counters.
        private readonly List<ExitRecord>?[] exits;
        // Victims' money moved per (from, to) account pair, key from × accounts + to.
        private readonly Dictionary<long, long> transfers = [];
        private readonly List<Lot> leaving = [];
        // Money a book can no longer trace without it leaving (LIBR's cap, crumbs below the minimum share).
        private readonly List<Lot> untraceable = [];
        private readonly LargestRemainder.Scratch scratch = new();

        public Run(TraceInput input)
        {
            this.input = input;
            request = input.Request;
            rule = request.Rule;
            accountNames = input.AccountNames;
            books = new AccountBook?[accountNames.Count];
            plainBalances = new long[accountNames.Count];

            // Victim index = ordinal rank, so results come out sorted without a lookup.
            var ids = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var p in request.Payments)
                if (request.InWindow(p.Timestamp)) ids.Add(p.VictimId);
            victimNames = [.. ids];
            for (var i = 0; i < victimNames.Length; i++) victimIndex[victimNames[i]] = i;
            losses = new long[victimNames.Length];
            var paths = request.Paths ?? TracePaths.None;
            withPaths = new bool[victimNames.Length];
            exits = new List<ExitRecord>?[victimNames.Length];
            for (var i = 0; i < victimNames.Length; i++)
            {
                withPaths[i] = paths.Includes(victimNames[i]);
                if (withPaths[i]) exits[i] = [];
            }

            if (request.OpeningBalances is not null)
            {
                foreach (var account in request.OpeningBalances.Keys.OrderBy(k => k, StringComparer.Ordinal))
                {
                    var amount = request.OpeningBalances[account];
                    if (amount > 0) CreditOwn(input.AccountIds[account], amount);
                }
            }
        }

        private AccountBook Book(int account)
        {
            var book = books[account];
            if (book is not null) return book;
            book = books[account] = AccountBook.Create(rule, victimNames.Length, request.MinimumShareMinor);
            var plain = plainBalances[account];
            if (plain > 0) book.Credit(Lot.Own, plain, null, 0);
            plainBalances[account] = 0;
            return book;
        }

        private long BalanceOf(int account) => books[account]?.Balance ?? plainBalances[account];

        private void CreditOwn(int account, long amount)
        {
            var book = books[account];
            if (book is not null) book.Credit(Lot.Own, amount, null, 0);
            else plainBalances[account] += amount;
        }

        public void Execute(IProgress<TraceProgress>? progress)
        {
            var order = input.Order;
            // Reports at every 1/100 of the events (not the last one: that comes when the result is checked).
            var step = Math.Max(1, (order.Length + 99) / 100);
            var next = progress is null ? long.MaxValue : step;
            for (var i = 0; i < order.Length; i++)
            {
                var e = order[i];
                if (e.Kind == 0)
                {
                    if (input.PaymentActive[e.Index]) ApplyPayment(request.Payments[e.Index], input.PaymentTo[e.Index]);
                }
                else if (input.TxActive[e.Index])
                {
                    ApplyTransaction(request.Transactions[e.Index], input.TxFrom[e.Index], input.TxTo[e.Index]);
                }

                if (i + 1 == next)
                {
                    if (next < order.Length) progress!.Report(new TraceProgress(next, order.Length));
                    next += step;
                }
            }
        }

        private void ApplyPayment(VictimPayment p, int account)
        {
            var victim = victimIndex[p.VictimId];
            losses[victim] += p.AmountMinor;
            if (p.AmountMinor == 0) return;
            var book = Book(account);
            book.Credit(victim, p.AmountMinor, withPaths[victim] ? new PathNode(null, p.TransactionId, account, 0) : null, 0);
            book.EverTraced = true;
            if (rule == AllocationRule.Poison) book.PoisonDepth = 0;
            book.Flow(victim).Received += p.AmountMinor;
        }

        private void ApplyTransaction(TraceTransaction t, int fromId, int toId)
        {
            switch (t.Channel)
            {
                case TransactionChannel.CashDeposit:
                    CreditOwn(toId, t.AmountMinor);
                    return;
                case TransactionChannel.Transfer:
                    ApplyTransfer(t, fromId, toId);
                    return;
                default:
                    ApplyExit(t, fromId);
                    return;
            }
        }

        private void ApplyTransfer(TraceTransaction t, int fromId, int toId)
        {
            var covered = Math.Min(t.AmountMinor, BalanceOf(fromId));
            var shortfall = t.AmountMinor - covered;
            var from = books[fromId];
            if (from is null)
            {
                plainBalances[fromId] -= covered;
                CreditOwn(toId, t.AmountMinor);
                return;
            }

            leaving.Clear();
            untraceable.Clear();
            if (covered > 0) from.Debit(covered, onward: true, leaving, untraceable, scratch);

            var fromDepth = from.PoisonDepth;
            if (covered > 0 && fromDepth != int.MaxValue && fromDepth < request.MaxHops)
            {
                var target = Book(toId);
                target.PoisonDepth = Math.Min(target.PoisonDepth, fromDepth + 1);
            }

            long moved = 0;
            var belowMinimum = false;
            for (var i = 0; i < leaving.Count; i++)
            {
                var lot = leaving[i];
                if (lot.Source < 0)
                {
                    CreditOwn(toId, lot.Amount);
                    continue;
                }

                // A victim's lots leave one after another (one bucket each); the floor is on their sum, the victim's share.
                if (request.MinimumShareMinor > 0 && (i == 0 || leaving[i - 1].Source != lot.Source))
                    belowMinimum = ShareOf(leaving, i) < request.MinimumShareMinor;

                var hops = lot.Hops + 1;
                if (hops > request.MaxHops || belowMinimum)
                {
                    RecordExit(from, lot, hops > request.MaxHops ? ExitReason.MaxHopsReached : ExitReason.BelowMinimumShare, fromId, t.TransactionId);
                    CreditOwn(toId, lot.Amount);
                    continue;
                }

                var to = Book(toId);
                to.Credit(lot.Source, lot.Amount, lot.Path is null ? null : new PathNode(lot.Path, t.TransactionId, toId, hops), hops);
                to.EverTraced = true;
                from.Flow(lot.Source).Forwarded += lot.Amount;
                to.Flow(lot.Source).Received += lot.Amount;
                moved += lot.Amount;
            }

            if (moved > 0) CollectionsMarshal.GetValueRefOrAddDefault(transfers, (long)fromId * accountNames.Count + toId, out _) += moved;

            foreach (var lot in untraceable) RecordExit(from, lot, from.UntraceableReason, fromId, t.TransactionId);
            if (shortfall > 0) CreditOwn(toId, shortfall);
        }

        /// <summary>The amount of the run of lots of one source that starts at <paramref name="start"/>.</summary>
        private static long ShareOf(List<Lot> lots, int start)
        {
            long share = 0;
            for (var i = start; i < lots.Count && lots[i].Source == lots[start].Source; i++) share += lots[i].Amount;
            return share;
        }

        private void ApplyExit(TraceTransaction t, int fromId)
        {
            var from = books[fromId];
            if (from is null)
            {
                plainBalances[fromId] -= Math.Min(t.AmountMinor, plainBalances[fromId]);
                return;
            }

            var covered = Math.Min(t.AmountMinor, from.Balance);
            if (covered == 0) return;
            leaving.Clear();
            untraceable.Clear();
            from.Debit(covered, onward: false, leaving, untraceable, scratch);
            var reason = t.Channel switch
            {
                TransactionChannel.CashWithdrawal => ExitReason.CashWithdrawal,
                TransactionChannel.OutOfReach => ExitReason.OutOfReach,
                _ => ExitReason.Spent,
            };
            foreach (var lot in leaving)
                if (lot.Source >= 0) RecordExit(from, lot, reason, fromId, t.TransactionId);
            foreach (var lot in untraceable) RecordExit(from, lot, from.UntraceableReason, fromId, t.TransactionId);
        }

        private void RecordExit(AccountBook book, Lot lot, ExitReason reason, int account, string transactionId)
        {
            book.Flow(lot.Source).ExitedBy[(int)reason] += lot.Amount;
            var list = exits[lot.Source];
            if (list is null) return;
            if (list.Count > 0)
            {
                var last = list[^1];
                if (last.Reason == reason && last.Account == account && ReferenceEquals(last.TransactionId, transactionId)
                    && ReferenceEquals(last.Path, lot.Path))
                {
                    list[^1] = last with { Amount = last.Amount + lot.Amount };
                    return;
                }
            }

            list.Add(new ExitRecord(reason, account, transactionId, lot.Amount, lot.Path!));
        }

        public TraceResult BuildResult(string digest)
        {
            var victimCount = victimNames.Length;
            var holdings = new List<Holding>[victimCount];
            var exitTotals = new List<ExitTotal>[victimCount];
            var victimFlows = new List<HopFlow>[victimCount];
            for (var i = 0; i < victimCount; i++)
            {
                holdings[i] = [];
                exitTotals[i] = [];
                victimFlows[i] = [];
            }

            var reported = new List<int>();
            for (var a = 0; a < books.Length; a++)
                if (books[a] is { } b && (b.EverTraced || b.PoisonDepth != int.MaxValue)) reported.Add(a);
            reported.Sort((x, y) => string.CompareOrdinal(accountNames[x], accountNames[y]));

            var accounts = new List<AccountTrace>(reported.Count);
            var lots = new List<Lot>();
            var order = new List<(int Source, int Index)>();
            var counters = new List<(int Victim, FlowCounter Flow)>();
            var heldHere = new Dictionary<int, long>();
            var reasons = Enum.GetValues<ExitReason>();
            // Accounts in name order, so each victim's holdings, exit totals and flows come out by account.
            foreach (var a in reported)
            {
                var book = books[a]!;
                lots.Clear();
                book.CollectVictimLots(lots);
                // Group by victim (ordinal = index order), keeping each victim's lots in the book's order.
                order.Clear();
                for (var i = 0; i < lots.Count; i++) order.Add((lots[i].Source, i));
                order.Sort();

                var name = accountNames[a];
                var split = new List<(string VictimId, long AmountMinor)>();
                heldHere.Clear();
                long traced = 0;
                for (var start = 0; start < order.Count;)
                {
                    var victim = order[start].Source;
                    var end = start + 1;
                    while (end < order.Count && order[end].Source == victim) end++;
                    long amount = 0;
                    Holding holding;
                    if (withPaths[victim])
                    {
                        var shares = AggregateByPath(lots, order, start, end);
                        var paths = new TracePath[shares.Length];
                        for (var i = 0; i < shares.Length; i++)
                        {
                            amount += shares[i].AmountMinor;
                            paths[i] = shares[i].Path;
                        }

                        holding = new Holding(name, amount, paths) { Shares = shares };
                    }
                    else
                    {
                        for (var k = start; k < end; k++) amount += lots[order[k].Index].Amount;
                        holding = new Holding(name, amount, []);
                    }

                    holdings[victim].Add(holding);
                    split.Add((victimNames[victim], amount));
                    heldHere[victim] = amount;
                    traced += amount;
                    start = end;
                }

                counters.Clear();
                book.CollectFlows(counters);
                foreach (var (victim, f) in counters)
                {
                    victimFlows[victim].Add(new HopFlow(name, victimNames[victim], f.Received, f.Forwarded, f.Exited,
                        heldHere.GetValueOrDefault(victim)));
                    foreach (var reason in reasons)
                    {
                        var exited = f.ExitedBy[(int)reason];
                        if (exited != 0) exitTotals[victim].Add(new ExitTotal(reason, name, exited));
                    }
                }

                var tainted = rule == AllocationRule.Poison && book.PoisonDepth != int.MaxValue ? book.Balance : traced;
                accounts.Add(new AccountTrace(name, book.Balance, traced, tainted, split));
            }

            var victims = new VictimTrace[victimCount];
            var flowList = new List<HopFlow>();
            for (var v = 0; v < victimCount; v++)
            {
                var records = exits[v];
                TrailExit[] exitList = [];
                if (records is not null)
                {
                    exitList = new TrailExit[records.Count];
                    for (var i = 0; i < exitList.Length; i++)
                    {
                        var x = records[i];
                        exitList[i] = new TrailExit(x.Reason, accountNames[x.Account], x.TransactionId, x.Amount, x.Path.ToTracePath(accountNames));
                    }

                    exits[v] = null; // let the records go as the result is built
                }

                victims[v] = new VictimTrace(victimNames[v], losses[v], holdings[v], exitTotals[v])
                {
                    PathsIncluded = withPaths[v],
                    Exits = exitList,
                };
                flowList.AddRange(victimFlows[v]);
            }

            var freezeTargets = accounts.Where(a => a.TaintedMinor > 0).ToList();
            freezeTargets.Sort(CompareFreezeTargets);

            var transferList = new List<TracedTransfer>(transfers.Count);
            foreach (var (key, amount) in transfers)
                transferList.Add(new TracedTransfer(accountNames[(int)(key / accountNames.Count)], accountNames[(int)(key % accountNames.Count)], amount));
            transferList.Sort(static (x, y) =>
            {
                var c = string.CompareOrdinal(x.FromAccount, y.FromAccount);
                return c != 0 ? c : string.CompareOrdinal(x.ToAccount, y.ToAccount);
            });

            return new TraceResult(rule, digest, request.Currency, request.MinorUnitDigits, victims, accounts, freezeTargets, flowList)
            {
                Transfers = transferList,
            };
        }

        private readonly Dictionary<PathNode, int> pathSlots = new(ReferenceEqualityComparer.Instance);
        private readonly List<PathNode> pathOrder = [];
        private readonly List<long> pathAmounts = [];

        /// <summary>One share per distinct path of the lots order[start..end), in order of first appearance.</summary>
        private PathShare[] AggregateByPath(List<Lot> lots, List<(int Source, int Index)> order, int start, int end)
        {
            if (end - start == 1)
            {
                var only = lots[order[start].Index];
                return [new PathShare(only.Path!.ToTracePath(accountNames), only.Amount)];
            }

            pathSlots.Clear();
            pathOrder.Clear();
            pathAmounts.Clear();
            for (var k = start; k < end; k++)
            {
                var lot = lots[order[k].Index];
                ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(pathSlots, lot.Path!, out var exists);
                if (!exists)
                {
                    slot = pathOrder.Count;
                    pathOrder.Add(lot.Path!);
                    pathAmounts.Add(0);
                }

                pathAmounts[slot] += lot.Amount;
            }

            var shares = new PathShare[pathOrder.Count];
            for (var i = 0; i < shares.Length; i++) shares[i] = new PathShare(pathOrder[i].ToTracePath(accountNames), pathAmounts[i]);
            return shares;
        }
    }

    internal static int CompareFreezeTargets(AccountTrace x, AccountTrace y)
    {
        var c = y.TaintedMinor.CompareTo(x.TaintedMinor);
        if (c != 0) return c;
        c = y.TracedMinor.CompareTo(x.TracedMinor);
        return c != 0 ? c : string.CompareOrdinal(x.Account, y.Account);
    }
}
