namespace AssetRecovery.Tracing;

/// <summary>
/// The request prepared once for the engine and the invariant check: events in <see cref="EventOrder"/>, account names
/// interned to dense ids, and which events take part (inside the window, non-zero, not a bank copy of a victim payment).
/// </summary>
internal sealed class TraceInput
{
    public const int NoAccount = -1;

    public TraceRequest Request { get; }
    public TraceEvent[] Order { get; }
    public List<string> AccountNames { get; }
    public Dictionary<string, int> AccountIds { get; }
    public int[] PaymentTo { get; }
    public bool[] PaymentActive { get; }
    public int[] TxFrom { get; }
    public int[] TxTo { get; }
    public bool[] TxActive { get; }

    public TraceInput(TraceRequest request)
    {
        Request = request;
        AccountIds = new Dictionary<string, int>(StringComparer.Ordinal);
        AccountNames = [];
        Order = EventOrder.Sort(request);
        var payments = request.Payments;
        var transactions = request.Transactions;

        var paymentsById = new Dictionary<string, VictimPayment>(payments.Count, StringComparer.Ordinal);
        PaymentTo = new int[payments.Count];
        PaymentActive = new bool[payments.Count];
        for (var i = 0; i < payments.Count; i++)
        {
            var p = payments[i];
            paymentsById.TryAdd(p.TransactionId, p);
            PaymentTo[i] = Intern(p.ToAccount);
            PaymentActive[i] = request.InWindow(p.Timestamp);
        }

        TxFrom = new int[transactions.Count];
        TxTo = new int[transactions.Count];
        TxActive = new bool[transactions.Count];
        for (var i = 0; i < transactions.Count; i++)
        {
            var t = transactions[i];
            TxFrom[i] = t.FromAccount is null || t.Channel == TransactionChannel.CashDeposit ? NoAccount : Intern(t.FromAccount);
            TxTo[i] = t.ToAccount is null || t.Channel is not (TransactionChannel.Transfer or TransactionChannel.CashDeposit)
                ? NoAccount
                : Intern(t.ToAccount);
            TxActive[i] = t.AmountMinor > 0 && request.InWindow(t.Timestamp) && !IsBankCopyOfPayment(t, paymentsById);
        }

        if (request.OpeningBalances is not null)
            foreach (var account in request.OpeningBalances.Keys) Intern(account);
    }

    /// <summary>Same id, destination and amount as a victim payment, channel Transfer: the bank's record of that payment.</summary>
    private static bool IsBankCopyOfPayment(TraceTransaction t, Dictionary<string, VictimPayment> paymentsById) =>
        t.Channel == TransactionChannel.Transfer
        && paymentsById.TryGetValue(t.TransactionId, out var p)
        && string.Equals(p.ToAccount, t.ToAccount, StringComparison.Ordinal)
        && p.AmountMinor == t.AmountMinor;

    private int Intern(string account)
    {
        ref var id = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(AccountIds, account, out var exists);
        if (!exists)
        {
            id = AccountNames.Count;
            AccountNames.Add(account);
        }

        return id;
    }
}
