namespace AssetRecovery.Tracing;

/// <summary>How money moved in a bank record.</summary>
public enum TransactionChannel
{
    /// <summary>Account to account (both set).</summary>
    Transfer,
    /// <summary>Cash paid in (no FromAccount): the holder's own, untainted money.</summary>
    CashDeposit,
    /// <summary>Cash taken out (no ToAccount): the money leaves the trail as cash.</summary>
    CashWithdrawal,
    /// <summary>Sent abroad or to an exchange (no ToAccount): out of reach.</summary>
    OutOfReach,
    /// <summary>Purchases (no ToAccount).</summary>
    Spent,
}

/// <summary>How an outflow from a mixed account is attributed to the money in it.</summary>
public enum AllocationRule
{
    /// <summary>Clayton's Case: the earliest money in leaves first.</summary>
    Fifo,
    /// <summary>The latest money in leaves first.</summary>
    Lifo,
    /// <summary>Rolling charge: each outflow is shared by all money in the account in proportion at that moment.</summary>
    ProRata,
    /// <summary>Own money first; a victim's claim never exceeds the lowest balance reached after it arrived.</summary>
    Libr,
    /// <summary>Virtual currency: an account touched by tainted money is wholly tainted (attribution per victim as Haircut).</summary>
    Poison,
    /// <summary>Virtual currency: taint shared in proportion (same arithmetic as ProRata).</summary>
    Haircut,
}

/// <summary>Why a victim's money stopped being followed.</summary>
public enum ExitReason
{
    CashWithdrawal,
    OutOfReach,
    Spent,
    /// <summary>LIBR: the balance fell below the victim's claim; the difference cannot be traced.</summary>
    Dissipated,
    /// <summary>The next hop would exceed <see cref="TraceRequest.MaxHops"/>.</summary>
    MaxHopsReached,
    /// <summary>Less than <see cref="TraceRequest.MinimumShareMinor"/>: too small a share to follow further.</summary>
    BelowMinimumShare,
}

/// <summary>A bank record. Amounts are in minor units (fen, cents) so sums are exact.</summary>
public sealed record TraceTransaction(
    string TransactionId,
    DateTimeOffset Timestamp,
    string? FromAccount,
    string? ToAccount,
    long AmountMinor,
    TransactionChannel Channel);

/// <summary>A victim's payment into a first-level mule account: the tainted source.</summary>
public sealed record VictimPayment(
    string VictimId,
    string TransactionId,
    DateTimeOffset Timestamp,
    string ToAccount,
    long AmountMinor);

/// <summary>
/// One trace, one currency. <paramref name="Currency"/> and <paramref name="MinorUnitDigits"/> are for display only.
/// <para><paramref name="MaxHops"/> counts transfers after the victim's payment: money in the first-level account is at hop 0.</para>
/// <para>Window: events with <paramref name="From"/> &lt;= Timestamp &lt;= <paramref name="To"/> (both inclusive) are used;
/// others, payments included, are ignored. <paramref name="OpeningBalances"/> are the holders' own money at the start.</para>
/// <para><paramref name="MinimumShareMinor"/> (0: none, every minor unit is followed) is for the rules that share each
/// outflow among all the money in the account (ProRata, Haircut, Poison), where a victim's money splinters into ever smaller
/// pieces: a victim's share of an onward transfer below it, and a victim's money left in an account below it after an
/// outflow, leave the trail there (<see cref="ExitReason.BelowMinimumShare"/>) and count as the holder's own money from
/// then on. Amounts still conserve exactly; the floor only stops the trail of the crumbs.</para>
/// </summary>
public sealed record TraceRequest(
    string Currency,
    int MinorUnitDigits,
    IReadOnlyList<VictimPayment> Payments,
    IReadOnlyList<TraceTransaction> Transactions,
    AllocationRule Rule,
    int MaxHops = 50,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    IReadOnlyDictionary<string, long>? OpeningBalances = null,
    TracePaths? Paths = null,
    long MinimumShareMinor = 0)
{
    /// <summary>Whether <paramref name="rule"/> takes a <see cref="MinimumShareMinor"/>: it shares outflows among all the money.</summary>
    public static bool SharesOutflows(AllocationRule rule) =>
        rule is AllocationRule.ProRata or AllocationRule.Haircut or AllocationRule.Poison;

    /// <summary>Whether an event at <paramref name="t"/> takes part in the trace (From and To inclusive).</summary>
    public bool InWindow(DateTimeOffset t) => (From is null || t >= From.Value) && (To is null || t <= To.Value);
}

/// <summary>
/// Whose paths a trace reports. Without paths (the default, <see cref="None"/>) the result is compact: per victim the
/// holdings per account and the exits summed per account and reason. A victim whose paths are asked for also gets every
/// holding split by path and every exit with its transaction and path. Amounts are the same either way, and so is the
/// digest: paths change what is reported, not what is traced, so a stored trace can be re-run later for one victim's paths.
/// </summary>
public sealed record TracePaths
{
    private readonly HashSet<string> victimIds;

    private TracePaths(bool allVictims, IEnumerable<string> victimIds)
    {
        AllVictims = allVictims;
        this.victimIds = new HashSet<string>(victimIds, StringComparer.Ordinal);
    }

    /// <summary>Compact result: no paths.</summary>
    public static TracePaths None { get; } = new(false, []);

    /// <summary>Every victim's paths (the full result).</summary>
    public static TracePaths All { get; } = new(true, []);

    /// <summary>The paths of these victims only (ordinal ids); the others are compact.</summary>
    public static TracePaths ForVictims(IEnumerable<string> victimIds)
    {
        ArgumentNullException.ThrowIfNull(victimIds);
        return new TracePaths(false, victimIds);
    }

    public bool AllVictims { get; }

    public IReadOnlySet<string> VictimIds => victimIds;

    public bool Includes(string victimId) => AllVictims || victimIds.Contains(victimId);

    public bool Equals(TracePaths? other) =>
        other is not null && AllVictims == other.AllVictims && victimIds.SetEquals(other.victimIds);

    public override int GetHashCode() => HashCode.Combine(AllVictims, victimIds.Count);
}

/// <summary>
/// The route a piece of a victim's money took: <c>TransactionIds[0]</c> is the victim's payment, then one transaction per hop;
/// <c>Accounts[i]</c> is where the money was after <c>TransactionIds[i]</c>. Compared by content.
/// </summary>
public sealed record TracePath(IReadOnlyList<string> TransactionIds, IReadOnlyList<string> Accounts)
{
    public int Hops => TransactionIds.Count - 1;

    public string LastAccount => Accounts[^1];

    public bool Equals(TracePath? other) =>
        other is not null && TransactionIds.SequenceEqual(other.TransactionIds, StringComparer.Ordinal)
                          && Accounts.SequenceEqual(other.Accounts, StringComparer.Ordinal);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var id in TransactionIds) hash.Add(id, StringComparer.Ordinal);
        foreach (var account in Accounts) hash.Add(account, StringComparer.Ordinal);
        return hash.ToHashCode();
    }

    public override string ToString() =>
        string.Join(" -> ", TransactionIds.Select((id, i) => $"{id}@{Accounts[i]}"));
}

/// <summary>Part of a holding that one path carried.</summary>
public sealed record PathShare(TracePath Path, long AmountMinor);

/// <summary>
/// A victim's money still in <paramref name="Account"/> at the end of the trace.
/// <see cref="Shares"/> gives how much each of <paramref name="Paths"/> carried (same order); both are empty when the
/// victim's paths were not asked for (<see cref="TracePaths"/>).
/// </summary>
public sealed record Holding(string Account, long AmountMinor, IReadOnlyList<TracePath> Paths)
{
    public IReadOnlyList<PathShare> Shares { get; init; } = [];
}

/// <summary>
/// A victim's money that left the trail at <paramref name="Account"/> through <paramref name="TransactionId"/>.
/// <paramref name="Path"/> ends at <paramref name="Account"/> (the exiting transaction is not a hop).
/// </summary>
public sealed record TrailExit(ExitReason Reason, string? Account, string? TransactionId, long AmountMinor, TracePath Path);

/// <summary>A victim's money that left the trail at <paramref name="Account"/> for <paramref name="Reason"/>, summed over the transactions.</summary>
public sealed record ExitTotal(ExitReason Reason, string Account, long AmountMinor);

/// <summary>
/// Where one victim's loss is now: holdings plus exits add up exactly to <paramref name="LossMinor"/>.
/// <paramref name="ExitTotals"/> (always given) sum the exits per account (ordinal), then reason. <see cref="Exits"/> lists
/// them one by one with transaction and path, in event order, only when <see cref="PathsIncluded"/>; otherwise it is empty.
/// </summary>
public sealed record VictimTrace(string VictimId, long LossMinor, IReadOnlyList<Holding> Holdings, IReadOnlyList<ExitTotal> ExitTotals)
{
    /// <summary>The victim's paths were asked for: holdings carry paths and shares, and <see cref="Exits"/> is filled.</summary>
    public bool PathsIncluded { get; init; }

    public IReadOnlyList<TrailExit> Exits { get; init; } = [];

    public long HeldMinor => Holdings.Sum(h => h.AmountMinor);

    public long ExitedMinor => ExitTotals.Sum(e => e.AmountMinor);
}

/// <summary>
/// An account that received victims' money (or, under Poison, tainted money).
/// <paramref name="TracedMinor"/> = sum of victims' holdings there (under LIBR claims overlap and may exceed the balance).
/// <paramref name="TaintedMinor"/> = the whole balance under Poison when the account was touched, else TracedMinor.
/// </summary>
public sealed record AccountTrace(
    string Account,
    long BalanceMinor,
    long TracedMinor,
    long TaintedMinor,
    IReadOnlyList<(string VictimId, long AmountMinor)> ByVictim)
{
    /// <summary>What can actually be frozen: never more than the balance (matters under LIBR).</summary>
    public long FreezableMinor => Math.Min(TaintedMinor, BalanceMinor);
}

/// <summary>
/// Flow of one victim's money through one account, counted while tracing:
/// Received == Forwarded + Exited + Remaining.
/// </summary>
public sealed record HopFlow(string Account, string VictimId, long ReceivedMinor, long ForwardedMinor, long ExitedMinor, long RemainingMinor);

/// <summary>
/// The outcome of a trace. <paramref name="Victims"/> by VictimId (ordinal), holdings by account (ordinal), exits in event order
/// (exit totals by account, then reason);
/// <paramref name="Accounts"/> by account (ordinal); <paramref name="FreezeTargets"/> = accounts with TaintedMinor &gt; 0 by
/// TaintedMinor descending (equal to TracedMinor except under Poison), then TracedMinor descending, then account ordinal.
/// <paramref name="Digest"/>: SHA-256 (hex, lower case) over the canonical inputs and rule, see <see cref="TraceDigest"/>.
/// </summary>
public sealed record TraceResult(
    AllocationRule Rule,
    string Digest,
    string Currency,
    int MinorUnitDigits,
    IReadOnlyList<VictimTrace> Victims,
    IReadOnlyList<AccountTrace> Accounts,
    IReadOnlyList<AccountTrace> FreezeTargets,
    IReadOnlyList<HopFlow> Flows)
{
    /// <summary>
    /// Victims' money moved between accounts (by FromAccount, then ToAccount, ordinal): with or without paths, the edges
    /// of the money-flow picture. Along every victim's paths the same sums come out.
    /// </summary>
    public IReadOnlyList<TracedTransfer> Transfers { get; init; } = [];

    /// <summary>Formats minor units for display, e.g. 10000 with 2 digits → "100.00 CNY".</summary>
    public string Format(long amountMinor) => MoneyFormat.Format(amountMinor, MinorUnitDigits, Currency);
}

/// <summary>Victims' money moved from one account to another, summed over all victims and all transfers between the two.</summary>
public sealed record TracedTransfer(string FromAccount, string ToAccount, long AmountMinor);

/// <summary>
/// How far a trace has got: <paramref name="Processed"/> of <paramref name="Total"/> events (victim payments and
/// transactions, in or out of the window) applied. Reported through the optional progress of <see cref="TraceEngine.Trace"/>.
/// </summary>
public readonly record struct TraceProgress(long Processed, long Total)
{
    /// <summary>0..1 (1 when there is nothing to do).</summary>
    public double Fraction => Total == 0 ? 1 : (double)Processed / Total;
}

/// <summary>Thrown when a trace result breaks one of the conservation invariants; the engine never returns such a result.</summary>
public sealed class TraceInvariantViolation(string message) : Exception(message);

public static class MoneyFormat
{
    public static string Format(long amountMinor, int minorUnitDigits, string currency)
    {
        if (minorUnitDigits <= 0) return $"{amountMinor} {currency}";
        var negative = amountMinor < 0;
        var digits = ((UInt128)(negative ? -(Int128)amountMinor : amountMinor)).ToString().PadLeft(minorUnitDigits + 1, '0');
        var text = digits[..^minorUnitDigits] + "." + digits[^minorUnitDigits..];
        return $"{(negative ? "-" : "")}{text} {currency}";
    }
}
