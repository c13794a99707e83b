namespace AssetRecovery.Tracing;

/// <summary>A payment (Kind 0) or transaction (Kind 1), by index into the request's lists.</summary>
internal readonly record struct TraceEvent(long UtcTicks, byte Kind, int Index);

/// <summary>
/// Canonical event order: by instant (UTC), then payments before transactions (so money is in the account before it can
/// leave), then TransactionId (ordinal), then the remaining fields. Equal keys mean identical records, so the order — and
/// therefore the result and the digest — does not depend on the order of the input lists.
/// </summary>
internal static class EventOrder
{
    public static TraceEvent[] Sort(TraceRequest request)
    {
        var payments = request.Payments;
        var transactions = request.Transactions;
        var comparer = new Comparer(payments, transactions);

        // Bank exports are usually in time order already: sort each list only if needed, then merge.
        var p = new TraceEvent[payments.Count];
        for (var i = 0; i < p.Length; i++) p[i] = new TraceEvent(payments[i].Timestamp.UtcTicks, 0, i);
        if (!IsSorted(p, comparer)) Array.Sort(p, comparer);
        var t = new TraceEvent[transactions.Count];
        for (var i = 0; i < t.Length; i++) t[i] = new TraceEvent(transactions[i].Timestamp.UtcTicks, 1, i);
        if (!IsSorted(t, comparer)) Array.Sort(t, comparer);

        var events = new TraceEvent[p.Length + t.Length];
        int a = 0, b = 0, n = 0;
        while (a < p.Length && b < t.Length) events[n++] = comparer.Compare(p[a], t[b]) <= 0 ? p[a++] : t[b++];
        while (a < p.Length) events[n++] = p[a++];
        while (b < t.Length) events[n++] = t[b++];
        return events;
    }

    private static bool IsSorted(TraceEvent[] events, Comparer comparer)
    {
        for (var i = 1; i < events.Length; i++)
            if (comparer.Compare(events[i - 1], events[i]) > 0) return false;
        return true;
    }

    private sealed class Comparer(IReadOnlyList<VictimPayment> payments, IReadOnlyList<TraceTransaction> transactions)
        : IComparer<TraceEvent>
    {
        public int Compare(TraceEvent x, TraceEvent y)
        {
            var c = x.UtcTicks.CompareTo(y.UtcTicks);
            if (c != 0) return c;
            c = x.Kind.CompareTo(y.Kind);
            if (c != 0) return c;
            if (x.Kind == 0)
            {
                var a = payments[x.Index];
                var b = payments[y.Index];
                c = string.CompareOrdinal(a.TransactionId, b.TransactionId);
                if (c == 0) c = string.CompareOrdinal(a.VictimId, b.VictimId);
                if (c == 0) c = string.CompareOrdinal(a.ToAccount, b.ToAccount);
                if (c == 0) c = a.AmountMinor.CompareTo(b.AmountMinor);
                return c;
            }
            else
            {
                var a = transactions[x.Index];
                var b = transactions[y.Index];
                c = string.CompareOrdinal(a.TransactionId, b.TransactionId);
                if (c == 0) c = string.CompareOrdinal(a.FromAccount, b.FromAccount);
                if (c == 0) c = string.CompareOrdinal(a.ToAccount, b.ToAccount);
                if (c == 0) c = a.AmountMinor.CompareTo(b.AmountMinor);
                if (c == 0) c = ((int)a.Channel).CompareTo((int)b.Channel);
                return c;
            }
        }
    }
}
