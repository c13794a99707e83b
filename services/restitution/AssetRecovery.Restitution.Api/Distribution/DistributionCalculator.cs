using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts.Restitution;

namespace AssetRecovery.Restitution.Distribution;

/// <summary>Someone the order says is owed money: what they are owed in total, and what earlier rounds already gave them.</summary>
/// <param name="Key">Stable payee key ("claim:…" or "creditor:…").</param>
/// <param name="OwedMinor">For a victim: their loss as capped (adjudicated, or verified if lower). For a creditor: the amount.</param>
/// <param name="RecoveredElsewhereMinor">What a victim recovered outside this case (counts against pro rata and rising tide).</param>
/// <param name="AllocatedMinor">What earlier rounds of this case allocated to them.</param>
public sealed record Payee(string Key, PriorityClass Class, long OwedMinor, long RecoveredElsewhereMinor, long AllocatedMinor)
{
    /// <summary>Still due from this case: the owed amount less what was recovered elsewhere and what earlier rounds gave.</summary>
    public long OutstandingMinor => Math.Max(0, OwedMinor - RecoveredElsewhereMinor - AllocatedMinor);
}

/// <summary>
/// Splits money among the payees of a restitution order, exactly, in minor units:
/// - classes are paid in the legal order (medical costs, victims' losses, other civil debts, fines, confiscation); a
///   class is paid in full before the next gets anything;
/// - within the class that cannot be paid in full, the money is shared in proportion to what each is still due (for
///   victims under ProRata: the net loss, i.e. loss less what was recovered elsewhere and already paid), or for
///   victims under RisingTide, so that every victim reaches the same overall recovery percentage, counting what they
///   recovered elsewhere and in earlier rounds;
/// - remainders: each part is first rounded down; the units left go one each to the parts with the largest remainders,
///   ties to the payee listed first in the order. The parts add up to the money shared, and nobody gets more than
///   they are still due. Money beyond everything due is left undistributed.
/// </summary>
public static class DistributionCalculator
{
    public static IReadOnlyList<(Payee Payee, long AmountMinor)> Split(long availableMinor, IReadOnlyList<Payee> payees, DistributionPolicy policy)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(availableMinor);
        var result = new List<(Payee, long)>();
        var remaining = availableMinor;
        foreach (var group in payees.Where(p => p.OutstandingMinor > 0).GroupBy(p => p.Class).OrderBy(g => g.Key))
        {
            if (remaining == 0) break;
            var due = group.ToList();
            var total = due.Sum(p => p.OutstandingMinor);
            long[] parts;
            if (remaining >= total) parts = due.Select(p => p.OutstandingMinor).ToArray();
            else if (group.Key == PriorityClass.VictimLosses && policy == DistributionPolicy.RisingTide) parts = RisingTide(remaining, due);
            else parts = LargestRemainder.Split(remaining, due.Select(p => p.OutstandingMinor).ToList());
            for (var i = 0; i < due.Count; i++)
                if (parts[i] > 0) result.Add((due[i], parts[i]));
            remaining -= parts.Sum();
        }
        return result;
    }

    /// <summary>
    /// Water-filling: the level L (a fraction of each loss) at which the victims below it, raised to it, use up the money
    /// exactly: Σ over those of (L × loss − recovered so far) = amount. L is found exactly as a fraction of integers,
    /// then each part is rounded as everywhere (down, then the largest remainders). Needs amount &lt; Σ outstanding.
    /// </summary>
    internal static long[] RisingTide(long amount, IReadOnlyList<Payee> victims)
    {
        var n = victims.Count;
        var loss = victims.Select(v => (Int128)v.OwedMinor).ToArray();
        var prior = victims.Select(v => (Int128)(v.RecoveredElsewhereMinor + v.AllocatedMinor)).ToArray();
        // Victims in order of how much of their loss they already have (prior / loss), compared exactly.
        var order = Enumerable.Range(0, n).ToList();
        order.Sort((a, b) => (prior[a] * loss[b]).CompareTo(prior[b] * loss[a]) is var c && c != 0 ? c : a.CompareTo(b));

        Int128 sumLoss = 0, sumPrior = 0, numerator = 0, denominator = 1;
        var active = 0;
        for (var k = 0; k < n; k++)
        {
            var i = order[k];
            sumLoss += loss[i];
            sumPrior += prior[i];
            active = k + 1;
            // Level with victims order[0..k] raised: L = (amount + Σprior) / Σloss.
            numerator = amount + sumPrior;
            denominator = sumLoss;
            if (k == n - 1) break;
            var next = order[k + 1];
            // Stop when the next victim already has at least L of their loss: L ≤ prior[next] / loss[next].
            if (numerator * loss[next] <= prior[next] * denominator) break;
        }

        var parts = new long[n];
        var remainders = new Int128[n];
        long assigned = 0;
        for (var k = 0; k < active; k++)
        {
            var i = order[k];
            // x = L × loss − prior = (numerator × loss − prior × denominator) / denominator, never negative here.
            var exact = numerator * loss[i] - prior[i] * denominator;
            parts[i] = (long)(exact / denominator);
            remainders[i] = exact % denominator;
            assigned += parts[i];
        }
        var spare = amount - assigned;
        foreach (var i in Enumerable.Range(0, n).Where(i => remainders[i] > 0)
                     .OrderByDescending(i => remainders[i]).ThenBy(i => i).Take((int)spare))
            parts[i]++;
        return parts;
    }
}
