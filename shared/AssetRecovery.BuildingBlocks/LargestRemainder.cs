namespace AssetRecovery.BuildingBlocks;

/// <summary>
/// Exact proportional split in minor units (largest-remainder / Hamilton method).
/// Part i = floor(amount × weight_i / total); the units still missing go one each to the parts with the largest remainder
/// (amount × weight_i mod total); equal remainders go to the lower index first — callers pass weights in arrival order,
/// so the earlier money wins ties. Example: 100 over 1:1:1 → 34, 33, 33.
/// Parts add up exactly to the amount and, when amount ≤ total, no part exceeds its weight. Integer arithmetic
/// (128-bit products) only, no floating point.
/// </summary>
public static class LargestRemainder
{
    public static long[] Split(long amount, IReadOnlyList<long> weights)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        var w = new long[weights.Count];
        long total = 0;
        for (var i = 0; i < w.Length; i++)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(weights[i]);
            w[i] = weights[i];
            total = checked(total + w[i]);
        }

        if (total == 0)
        {
            if (amount != 0) throw new ArgumentException("Cannot split a non-zero amount over zero weights.", nameof(weights));
            return w;
        }

        var parts = new long[w.Length];
        SplitInto(amount, total, w, parts, new Scratch());
        return parts;
    }

    /// <summary>Reusable buffers so the hot loop does not allocate.</summary>
    public sealed class Scratch
    {
        public (long Remainder, int Index)[] Candidates = new (long, int)[16];
        public long[] Remainders = new long[16];
        public long[] Weights = new long[16];
        public long[] Parts = new long[16];

        public void Ensure(int n)
        {
            if (Candidates.Length >= n) return;
            var size = Math.Max(n, Candidates.Length * 2);
            Candidates = new (long, int)[size];
            Remainders = new long[size];
            Weights = new long[size];
            Parts = new long[size];
        }
    }

    /// <summary>weights must sum to total (&gt; 0).</summary>
    public static void SplitInto(long amount, long total, ReadOnlySpan<long> weights, Span<long> parts, Scratch scratch)
    {
        var n = weights.Length;
        scratch.Ensure(n);
        var remainders = scratch.Remainders;
        long assigned = 0;
        var withRemainder = 0;
        for (var i = 0; i < n; i++)
        {
            long q, r;
            var high = Math.BigMul(amount, weights[i], out long low);
            if (high == 0 && low >= 0)
            {
                (q, r) = Math.DivRem(low, total);
            }
            else
            {
                var (q128, r128) = Int128.DivRem((Int128)amount * weights[i], total);
                q = (long)q128;
                r = (long)r128;
            }

            parts[i] = q;
            remainders[i] = r;
            assigned += q;
            if (r != 0) withRemainder++;
        }

        var missing = amount - assigned;
        if (missing == 0) return;

        // Every part with a remainder gets one unit: no ordering needed.
        if (missing == withRemainder)
        {
            for (var i = 0; i < n; i++)
                if (remainders[i] != 0) parts[i]++;
            return;
        }

        var candidates = scratch.Candidates.AsSpan(0, withRemainder);
        var c = 0;
        for (var i = 0; i < n; i++)
            if (remainders[i] != 0) candidates[c++] = (remainders[i], i);
        // Only which candidates are among the first `missing` matters, not their order: select them (linear on
        // average) instead of sorting all. The order (remainder descending, index ascending) is total, so the chosen
        // set is exactly the sorted order's first `missing`.
        SelectFirst(candidates, (int)missing);
        for (var k = 0; k < missing; k++) parts[candidates[k].Index]++;
    }

    /// <summary>Larger remainder first; equal remainders: lower index first.</summary>
    private static bool Before((long Remainder, int Index) a, (long Remainder, int Index) b) =>
        a.Remainder != b.Remainder ? a.Remainder > b.Remainder : a.Index < b.Index;

    /// <summary>Rearranges <paramref name="items"/> so that its first <paramref name="count"/> are the first in <see cref="Before"/> order (quickselect).</summary>
    private static void SelectFirst(Span<(long Remainder, int Index)> items, int count)
    {
        var low = 0;
        var high = items.Length - 1;
        while (low < high)
        {
            // Median of three as pivot, so runs already in order do not make it quadratic.
            var mid = low + (high - low) / 2;
            if (Before(items[mid], items[low])) (items[mid], items[low]) = (items[low], items[mid]);
            if (Before(items[high], items[low])) (items[high], items[low]) = (items[low], items[high]);
            if (Before(items[high], items[mid])) (items[high], items[mid]) = (items[mid], items[high]);
            var pivot = items[mid];
            int i = low, j = high;
            while (i <= j)
            {
                while (Before(items[i], pivot)) i++;
                while (Before(pivot, items[j])) j--;
                if (i > j) break;
                (items[i], items[j]) = (items[j], items[i]);
                i++;
                j--;
            }

            // items[low..j] come before or equal the pivot, items[i..high] after or equal; between them equals the pivot.
            if (count - 1 <= j) high = j;
            else if (count - 1 >= i) low = i;
            else return;
        }
    }
}
