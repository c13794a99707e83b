namespace AssetRecovery.Tracing;

/// <summary>
/// One hop of a victim's money, linked to the hop before it; shared by every lot that travelled the same route, so a path
/// costs one node per hop instead of a copied list.
/// </summary>
internal sealed class PathNode(PathNode? parent, string transactionId, int account, int hops)
{
    public PathNode? Parent { get; } = parent;
    public string TransactionId { get; } = transactionId;
    public int Account { get; } = account;
    public int Hops { get; } = hops;
    private TracePath? materialized;

    public TracePath ToTracePath(IReadOnlyList<string> accountNames)
    {
        if (materialized is not null) return materialized;
        var ids = new string[Hops + 1];
        var accounts = new string[Hops + 1];
        var node = this;
        for (var i = Hops; i >= 0; i--)
        {
            ids[i] = node!.TransactionId;
            accounts[i] = accountNames[node.Account];
            node = node.Parent;
        }

        return materialized = new TracePath(ids, accounts);
    }
}

/// <summary>Money of one source in an account. Source is a victim index, or <see cref="Own"/> (untraced; Path is null).</summary>
internal struct Lot(int source, long amount, PathNode? path)
{
    public const int Own = -1;
    public int Source = source;
    public long Amount = amount;
    public PathNode? Path = path;
}

/// <summary>Ring-buffer deque of lots in arrival order; a new lot merges into the last one when source and path match.</summary>
internal sealed class LotDeque
{
    private Lot[] items = new Lot[2];
    private int head;

    public int Count { get; private set; }

    public ref Lot Front => ref items[head];

    public ref Lot Back => ref items[(head + Count - 1) & (items.Length - 1)];

    public ref Lot this[int i] => ref items[(head + i) & (items.Length - 1)];

    public void PushBack(int source, long amount, PathNode? path)
    {
        if (Count > 0)
        {
            ref var last = ref Back;
            if (last.Source == source && ReferenceEquals(last.Path, path))
            {
                last.Amount += amount;
                return;
            }
        }

        if (Count == items.Length) Grow();
        items[(head + Count) & (items.Length - 1)] = new Lot(source, amount, path);
        Count++;
    }

    public void PopFront()
    {
        items[head] = default;
        head = (head + 1) & (items.Length - 1);
        Count--;
    }

    public void PopBack()
    {
        Back = default;
        Count--;
    }

    public void Clear()
    {
        Array.Clear(items);
        head = 0;
        Count = 0;
    }

    /// <summary>Removes <paramref name="amount"/> (at most the total) from the front, earliest first, appending the pieces.</summary>
    public void TakeFront(long amount, List<Lot> output)
    {
        while (amount > 0)
        {
            ref var lot = ref Front;
            var piece = Math.Min(lot.Amount, amount);
            output.Add(new Lot(lot.Source, piece, lot.Path));
            amount -= piece;
            lot.Amount -= piece;
            if (lot.Amount == 0) PopFront();
        }
    }

    private void Grow()
    {
        var bigger = new Lot[items.Length * 2];
        for (var i = 0; i < Count; i++) bigger[i] = this[i];
        items = bigger;
        head = 0;
    }
}
