namespace AssetRecovery.Tracing;

/// <summary>
/// One hop of a victim's money, linked to the hop before it; shared by every lot that travelled the same route, so a path
/// costs one node per hop instead of a copied list. The result's <see cref="TracePath"/>s read their hops from these
/// nodes (<see cref="PathHopList"/>) rather than copying them, so the output grows with the number of paths, not hops.
/// </summary>
internal sealed class PathNode(PathNode? parent, string transactionId, int account, int hops)
{
    public readonly PathNode? Parent = parent;
    public readonly string TransactionId = transactionId;
    public readonly int Account = account;
    public readonly int Hops = hops;

    public TracePath ToTracePath(IReadOnlyList<string> accountNames) =>
        new(new PathHopList(this, null), new PathHopList(this, accountNames));
}

/// <summary>
/// The transaction ids (<c>accountNames</c> null) or account names of a path, read from its <see cref="PathNode"/> chain;
/// copied into an array only when first indexed or enumerated.
/// </summary>
internal sealed class PathHopList(PathNode last, IReadOnlyList<string>? accountNames) : IReadOnlyList<string>
{
    private string[]? items;

    public PathNode Last => last;

    /// <summary>The engine's account names for a list of accounts, null for a list of transaction ids.</summary>
    public IReadOnlyList<string>? AccountNames => accountNames;

    public int Count => last.Hops + 1;

    public string this[int index] => Items[index];

    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)Items).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    private string[] Items => items ??= Materialize();

    private string[] Materialize()
    {
        var result = new string[last.Hops + 1];
        var node = last;
        for (var i = last.Hops; i >= 0; i--)
        {
            result[i] = accountNames is null ? node!.TransactionId : accountNames[node!.Account];
            node = node.Parent;
        }

        return result;
    }
}

/// <summary>
/// Money of one source in an account. Source is a victim index, or <see cref="Own"/> (untraced; Path is null, Hops 0).
/// <see cref="Hops"/> is kept for every victim's money (MaxHops depends on it); <see cref="Path"/> only for the victims
/// whose paths were asked for (<see cref="TracePaths"/>), null otherwise — so lots of the others merge whenever they
/// arrived one after the other with the same hop count, which changes no amount.
/// </summary>
internal struct Lot(int source, long amount, PathNode? path, int hops)
{
    public const int Own = -1;
    public int Source = source;
    public int Hops = hops;
    public long Amount = amount;
    public PathNode? Path = path;
}

/// <summary>
/// Ring-buffer deque of lots in arrival order; a new lot merges into the last one when source, path and hops match.
/// A mutable struct held in a field (no allocation until the first lot, no pointer to follow): use it in place, never copy it.
/// </summary>
internal struct LotDeque
{
    private Lot[]? items;
    private int head;

    public int Count { get; private set; }

    public readonly ref Lot Front => ref items![head];

    public readonly ref Lot Back => ref items![(head + Count - 1) & (items.Length - 1)];

    public readonly ref Lot this[int i] => ref items![(head + i) & (items.Length - 1)];

    public void PushBack(int source, long amount, PathNode? path, int hops)
    {
        if (Count > 0)
        {
            ref var last = ref Back;
            if (last.Source == source && ReferenceEquals(last.Path, path) && last.Hops == hops)
            {
                last.Amount += amount;
                return;
            }
        }

        items ??= new Lot[2];
        if (Count == items.Length) Grow();
        items[(head + Count) & (items.Length - 1)] = new Lot(source, amount, path, hops);
        Count++;
    }

    public void PopFront()
    {
        items![head] = default;
        head = (head + 1) & (items.Length - 1);
        Count--;
    }

    public void PopBack()
    {
        Back = default;
        Count--;
    }

    /// <summary>Removes <paramref name="amount"/> (at most the total) from the front, earliest first, appending the pieces.</summary>
    public void TakeFront(long amount, List<Lot> output)
    {
        while (amount > 0)
        {
            ref var lot = ref Front;
            var piece = Math.Min(lot.Amount, amount);
            output.Add(new Lot(lot.Source, piece, lot.Path, lot.Hops));
            amount -= piece;
            lot.Amount -= piece;
            if (lot.Amount == 0) PopFront();
        }
    }

    private void Grow()
    {
        var bigger = new Lot[items!.Length * 2];
        for (var i = 0; i < Count; i++) bigger[i] = this[i];
        items = bigger;
        head = 0;
    }
}
