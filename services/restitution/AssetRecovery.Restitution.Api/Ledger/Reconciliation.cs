namespace AssetRecovery.Restitution.Ledger;

/// <summary>One conservation check of a case ledger: what it checks, whether it holds, and any amounts that break it.</summary>
public sealed record ReconciliationCheck(string Name, bool Holds, IReadOnlyList<string> Violations);

/// <summary>
/// The case ledger's conservation checks: money is paid only out of what was available, nobody beyond their loss, the
/// pool never below zero, and every round's parts add up to the round.
/// </summary>
public static class Reconciliation
{
    public static IReadOnlyList<ReconciliationCheck> Check(CaseLedger ledger, IReadOnlyList<LedgerVictim> victims) =>
    [
        Checked("Paid never above what was available: funded rounds from the pool and frozen money returned before trial",
            ledger.Paid.Where(p => p.Value > Available(ledger, p.Key))
                .Select(p => $"{p.Key}: paid {p.Value}, available {Available(ledger, p.Key)}")),
        Checked("Each funded round took from the pool exactly what it distributes",
            ledger.Rounds.Values.Where(r => r.Status == "Funded" && ledger.DebitsByInstruction.GetValueOrDefault(r.RoundId) != r.Distributed)
                .Select(r => $"round {r.RoundId}: distributes {r.Distributed} {r.Currency}, pool debited {ledger.DebitsByInstruction.GetValueOrDefault(r.RoundId)}")),
        Checked("No victim paid or allocated beyond their loss (adjudicated, and verified where verified)",
            victims.SelectMany(v => Excess(ledger, v))),
        Checked("The recovery pool never went below zero",
            ledger.PoolLowestBalance.Where(b => b.Value < 0m).Select(b => $"{b.Key}: lowest balance {b.Value}")),
        Checked("Every round's parts add up to the round",
            ledger.Rounds.Values.Where(r => r.SumOfAllocations != r.Distributed)
                .Select(r => $"round {r.RoundId}: parts {r.SumOfAllocations}, round {r.Distributed} {r.Currency}")),
    ];

    private static decimal Available(CaseLedger ledger, string currency) =>
        ledger.Rounds.Values.Where(r => r.Status == "Funded" && r.Currency == currency).Sum(r => r.Distributed)
        + ledger.ReturnedBeforeTrial.GetValueOrDefault(currency);

    /// <summary>A victim's loss: adjudicated, capped at the verified loss where one was verified.</summary>
    public static decimal Loss(CaseLedger ledger, LedgerVictim v)
    {
        var ordered = ledger.Ordered(v);
        return v.Verified is { } verified && ordered > 0m ? Math.Min(verified, ordered) : v.Verified ?? ordered;
    }

    private static IEnumerable<string> Excess(CaseLedger ledger, LedgerVictim v)
    {
        var cap = Loss(ledger, v);
        var allocated = ledger.Allocated(v);
        if (v.Paid > cap) yield return $"claim {v.ClaimId}: paid {v.Paid} {v.Currency}, loss {cap}";
        if (allocated > cap) yield return $"claim {v.ClaimId}: allocated {allocated} {v.Currency}, loss {cap}";
    }

    private static ReconciliationCheck Checked(string name, IEnumerable<string> violations)
    {
        var list = violations.ToList();
        return new ReconciliationCheck(name, list.Count == 0, list);
    }
}
