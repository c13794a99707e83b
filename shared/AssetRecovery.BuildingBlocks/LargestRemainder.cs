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
        candidates.Sort(static (a, b) => a.Remainder != b.Remainder ? b.Remainder.CompareTo(a.Remainder) : a.Index.CompareTo(b.Index));
        for (var k = 0; k < missing; k++) parts[candidates[k].Index]++;
    }
}
