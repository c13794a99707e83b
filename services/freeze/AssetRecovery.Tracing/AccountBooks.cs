using AssetRecovery.BuildingBlocks;
namespace AssetRecovery.Tracing;

/// <summary>The money in one account, kept the way the allocation rule needs it.</summary>
internal abstract class AccountBook
{
    public long Balance;

    /// <summary>Received victims' money at some point (reported in the result's accounts).</summary>
    public bool EverTraced;

    /// <summary>Poison only: fewest hops from a victim payment at which the account was touched; MaxValue = clean.</summary>
    public int PoisonDepth = int.MaxValue;

    public static AccountBook Create(AllocationRule rule, int victims, long minimumShare) => rule switch
    {
        AllocationRule.Fifo => new OrderedBook(lifo: false),
        AllocationRule.Lifo => new OrderedBook(lifo: true),
        AllocationRule.ProRata or AllocationRule.Haircut or AllocationRule.Poison => new ProportionalBook(victims, minimumShare),
        AllocationRule.Libr => new LibrBook(victims),
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown allocation rule."),
    };

    public abstract void Credit(int source, long amount, PathNode? path, int hops);

    /// <summary>
    /// Takes <paramref name="amount"/> (≤ Balance) out. The money attributed to the outflow is appended to
    /// <paramref name="leaving"/> (own money with Source Own) in arrival order; victims' money that can no longer be
    /// traced here although it stays (LIBR cap, below the minimum share) goes to <paramref name="untraceable"/>, for
    /// <see cref="UntraceableReason"/>.
    /// <paramref name="onward"/>: a transfer to another account (false: cash, out of reach, spent).
    /// </summary>
    public abstract void Debit(long amount, bool onward, List<Lot> leaving, List<Lot> untraceable, LargestRemainder.Scratch scratch);

    /// <summary>Why the money <see cref="Debit"/> calls untraceable left the trail.</summary>
    public virtual ExitReason UntraceableReason => ExitReason.Dissipated;

    /// <summary>Appends the victims' lots still here (Source ≥ 0).</summary>
    public abstract void CollectVictimLots(List<Lot> output);

    /// <summary>The counters of a victim's money through this account (created at zero).</summary>
    public abstract ref FlowCounter Flow(int victim);

    /// <summary>Appends the victims that had money through this account, with their counters.</summary>
    public abstract void CollectFlows(List<(int Victim, FlowCounter Flow)> output);
}

/// <summary>FIFO / LIFO: lots in arrival order, adjacent lots of the same source and path merged.</summary>
internal sealed class OrderedBook(bool lifo) : AccountBook
{
    // A mutable struct: never copied, always used in place through the field.
    private LotDeque lots;
    private readonly Dictionary<int, FlowCounter> flows = [];

    public override ref FlowCounter Flow(int victim) =>
        ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(flows, victim, out _);

    public override void CollectFlows(List<(int Victim, FlowCounter Flow)> output)
    {
        foreach (var (victim, flow) in flows) output.Add((victim, flow));
    }

    public override void Credit(int source, long amount, PathNode? path, int hops)
    {
        Balance += amount;
        lots.PushBack(source, amount, path, hops);
    }

    public override void Debit(long amount, bool onward, List<Lot> leaving, List<Lot> untraceable, LargestRemainder.Scratch scratch)
    {
        Balance -= amount;
        if (!lifo)
        {
            lots.TakeFront(amount, leaving);
            return;
        }

        var start = leaving.Count;
        while (amount > 0)
        {
            ref var lot = ref lots.Back;
            var piece = Math.Min(lot.Amount, amount);
            leaving.Add(new Lot(lot.Source, piece, lot.Path, lot.Hops));
            amount -= piece;
            lot.Amount -= piece;
            if (lot.Amount == 0) lots.PopBack();
        }

        // Money arriving together keeps the relative order it had in the source account.
        leaving.Reverse(start, leaving.Count - start);
    }

    public override void CollectVictimLots(List<Lot> output)
    {
        for (var i = 0; i < lots.Count; i++)
            if (lots[i].Source >= 0) output.Add(lots[i]);
    }
}

/// <summary>
/// Flow of one victim's money through one account (see <see cref="HopFlow"/>); what left the trail there is kept per
/// <see cref="ExitReason"/>, which is the compact result's exit totals.
/// </summary>
internal struct FlowCounter
{
    public long Received;
    public long Forwarded;
    public ExitAmounts ExitedBy;

    public readonly long Exited
    {
        get
        {
            long sum = 0;
            foreach (var amount in ExitedBy) sum += amount;
            return sum;
        }
    }

    public readonly bool IsEmpty => Received == 0 && Forwarded == 0 && Exited == 0;
}

/// <summary>One amount per <see cref="ExitReason"/>, indexed by the reason.</summary>
[System.Runtime.CompilerServices.InlineArray(Count)]
internal struct ExitAmounts
{
    public const int Count = 6; // the number of ExitReason values
    private long first;
}

/// <summary>
/// One source's money in an account; its lots (per path) in arrival order. Kept for the life of the book, so it also
/// carries the victim's flow counters there; <see cref="Active"/> while it holds money. A struct in the book's slot array:
/// a book's buckets sit together in memory, and millions of them are not millions of objects for the GC to walk.
/// </summary>
internal struct Bucket
{
    public int Source;
    public long Total;
    public bool Active;
    public FlowCounter Flow;
    /// <summary>Lots of a victim's money (own money has none).</summary>
    public LotDeque Lots;
}

/// <summary>
/// Per-source totals in the order sources arrived (a source drained to zero and refilled counts as arriving anew).
/// Only totals matter for the split; which of a victim's paths carries its share is taken earliest path first.
/// A source's slot is found through an array indexed by victim once the book holds more than a few sources, so a credit
/// costs the same whatever the number of victims present.
/// </summary>
internal abstract class BucketBook(int victims) : AccountBook
{
    private const int ScanLimit = 8;
    private const int DenseLimit = 1 << 16;

    /// <summary>Every source seen here, in order of first arrival; a drained one keeps its slot (and flow counters).</summary>
    protected Bucket[] Slots = new Bucket[4];
    private int slotCount;
    /// <summary>Slots of the sources holding money, in arrival order.</summary>
    protected readonly List<int> Buckets = [];
    private int ownSlot = -1;
    /// <summary>Slot + 1 per victim (0: none yet).</summary>
    private int[]? dense;
    private Dictionary<int, int>? sparse;

    public override ref FlowCounter Flow(int victim)
    {
        // The slot first: Get may grow the array, and Slots[...] would read the old one.
        var slot = Get(victim);
        return ref Slots[slot].Flow;
    }

    public override void CollectFlows(List<(int Victim, FlowCounter Flow)> output)
    {
        for (var i = 0; i < slotCount; i++)
        {
            ref var bucket = ref Slots[i];
            if (bucket.Source >= 0 && !bucket.Flow.IsEmpty) output.Add((bucket.Source, bucket.Flow));
        }
    }

    private int Find(int source)
    {
        if (source < 0) return ownSlot;
        if (dense is not null) return dense[source] - 1;
        if (sparse is not null) return sparse.GetValueOrDefault(source, -1);
        for (var i = 0; i < slotCount; i++)
            if (Slots[i].Source == source) return i;
        return -1;
    }

    /// <summary>The slot of the source's bucket, created if new (inactive until it is credited).</summary>
    protected int Get(int source)
    {
        var slot = Find(source);
        if (slot >= 0) return slot;
        if (slotCount == Slots.Length) Array.Resize(ref Slots, slotCount * 2);
        slot = slotCount++;
        Slots[slot].Source = source;
        if (source < 0) return ownSlot = slot;
        if (dense is not null) dense[source] = slot + 1;
        else if (sparse is not null) sparse.Add(source, slot);
        else if (slotCount > ScanLimit)
        {
            if (victims <= DenseLimit)
            {
                dense = new int[victims];
                for (var i = 0; i < slotCount; i++)
                    if (Slots[i].Source >= 0) dense[Slots[i].Source] = i + 1;
            }
            else
            {
                sparse = [];
                for (var i = 0; i < slotCount; i++)
                    if (Slots[i].Source >= 0) sparse.Add(Slots[i].Source, i);
            }
        }

        return slot;
    }

    /// <summary>The slot of the source's bucket, made active (last in arrival order) if it held no money.</summary>
    protected int GetOrAdd(int source)
    {
        var slot = Get(source);
        ref var bucket = ref Slots[slot];
        if (!bucket.Active)
        {
            bucket.Active = true;
            Buckets.Add(slot);
        }

        return slot;
    }

    protected static void Take(ref Bucket bucket, long amount, List<Lot> output)
    {
        bucket.Total -= amount;
        if (bucket.Source == Lot.Own) output.Add(new Lot(Lot.Own, amount, null, 0));
        else bucket.Lots.TakeFront(amount, output);
    }

    /// <summary>Takes <paramref name="amount"/> from the buckets in proportion to their totals (which sum to <paramref name="total"/>).</summary>
    protected void TakeProportionally(long amount, long total, List<Lot> output, LargestRemainder.Scratch scratch)
    {
        var active = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(Buckets);
        var n = active.Length;
        if (n == 1)
        {
            Take(ref Slots[active[0]], amount, output);
            return;
        }

        scratch.Ensure(n);
        var weights = scratch.Weights;
        var parts = scratch.Parts;
        for (var i = 0; i < n; i++) weights[i] = Slots[active[i]].Total;
        LargestRemainder.SplitInto(amount, total, weights.AsSpan(0, n), parts.AsSpan(0, n), scratch);
        for (var i = 0; i < n; i++)
            if (parts[i] > 0) Take(ref Slots[active[i]], parts[i], output);
    }

    protected void RemoveEmpty()
    {
        var active = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(Buckets);
        var kept = 0;
        for (var i = 0; i < active.Length; i++)
        {
            ref var bucket = ref Slots[active[i]];
            if (bucket.Total > 0)
            {
                active[kept++] = active[i];
            }
            else
            {
                // Drained: its lots are gone, so let their storage go too (most victims' buckets end empty).
                bucket.Active = false;
                bucket.Lots = default;
            }
        }

        if (kept < active.Length) Buckets.RemoveRange(kept, active.Length - kept);
    }

    public override void CollectVictimLots(List<Lot> output)
    {
        foreach (var slot in Buckets)
        {
            ref var bucket = ref Slots[slot];
            if (bucket.Source < 0) continue;
            for (var i = 0; i < bucket.Lots.Count; i++) output.Add(bucket.Lots[i]);
        }
    }
}

/// <summary>
/// Pro rata (rolling charge), Haircut and Poison attribution: own money is one more source; each outflow is split over all
/// sources by <see cref="LargestRemainder"/>, ties to the source that arrived first. After an outflow, a victim's money
/// left below <paramref name="minimumShare"/> becomes the holder's own (untraceable, <see cref="ExitReason.BelowMinimumShare"/>).
/// </summary>
internal sealed class ProportionalBook(int victims, long minimumShare) : BucketBook(victims)
{
    public override ExitReason UntraceableReason => ExitReason.BelowMinimumShare;

    public override void Credit(int source, long amount, PathNode? path, int hops)
    {
        Balance += amount;
        var slot = GetOrAdd(source);
        ref var bucket = ref Slots[slot];
        bucket.Total += amount;
        if (source >= 0) bucket.Lots.PushBack(source, amount, path, hops);
    }

    public override void Debit(long amount, bool onward, List<Lot> leaving, List<Lot> untraceable, LargestRemainder.Scratch scratch)
    {
        var before = Balance;
        Balance -= amount;
        if (amount == before)
        {
            foreach (var slot in Buckets)
            {
                ref var bucket = ref Slots[slot];
                Take(ref bucket, bucket.Total, leaving);
            }
        }
        else
        {
            TakeProportionally(amount, before, leaving, scratch);
            if (minimumShare > 0) WriteOffCrumbs(untraceable);
        }

        RemoveEmpty();
    }

    private void WriteOffCrumbs(List<Lot> untraceable)
    {
        long crumbs = 0;
        foreach (var slot in Buckets)
        {
            ref var bucket = ref Slots[slot];
            if (bucket.Source < 0 || bucket.Total == 0 || bucket.Total >= minimumShare) continue;
            crumbs += bucket.Total;
            Take(ref bucket, bucket.Total, untraceable);
        }

        if (crumbs == 0) return;
        // The money stays in the account, as the holder's. The slot first: GetOrAdd may grow the array.
        var own = GetOrAdd(Lot.Own);
        Slots[own].Total += crumbs;
    }
}

/// <summary>
/// LIBR (lowest intermediate balance). Victims' claims are kept; own money = balance − sum of claims (never negative).
/// After every outflow each claim is capped at the new balance, the cut is Dissipated: later deposits never refill a claim.
/// Claims of several victims may overlap (each is capped separately), so their sum can exceed the balance.
/// An exit (cash, out of reach, spent) is not attributed to anyone: it only lowers the balance (worked example: A 100,
/// B 50, 120 withdrawn → A 30, B 30). An onward transfer is attributed own money first, then victims in proportion to
/// their claims (<see cref="LargestRemainder"/>), so tracing continues at the next account; the cap then applies to what stays.
/// </summary>
internal sealed class LibrBook(int victims) : BucketBook(victims)
{
    private long claims;

    public override void Credit(int source, long amount, PathNode? path, int hops)
    {
        Balance += amount;
        if (source < 0) return;
        claims += amount;
        var slot = GetOrAdd(source);
        ref var bucket = ref Slots[slot];
        bucket.Total += amount;
        bucket.Lots.PushBack(source, amount, path, hops);
    }

    public override void Debit(long amount, bool onward, List<Lot> leaving, List<Lot> untraceable, LargestRemainder.Scratch scratch)
    {
        var before = Balance;
        Balance -= amount;
        if (onward)
        {
            var own = Math.Max(0, before - claims);
            var ownOut = Math.Min(amount, own);
            if (ownOut > 0) leaving.Add(new Lot(Lot.Own, ownOut, null, 0));
            // Claims each ≤ before, so victims' part ≤ sum of claims.
            var victimsOut = amount - ownOut;
            if (victimsOut > 0)
            {
                TakeProportionally(victimsOut, claims, leaving, scratch);
                claims -= victimsOut;
            }
        }

        foreach (var slot in Buckets)
        {
            ref var bucket = ref Slots[slot];
            var excess = bucket.Total - Balance;
            if (excess <= 0) continue;
            Take(ref bucket, excess, untraceable);
            claims -= excess;
        }

        RemoveEmpty();
    }
}
