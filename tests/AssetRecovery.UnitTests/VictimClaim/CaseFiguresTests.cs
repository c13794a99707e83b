using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.VictimClaim.Cases;
using AssetRecovery.VictimClaim.MoneyTrail;

namespace AssetRecovery.UnitTests.VictimClaim;

/// <summary>Each victim's share of secured money, worked by hand.</summary>
public sealed class CaseFiguresTests
{
    private const string Case = "SZ-2026-000001";
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-03-02T10:00:00Z");
    private static readonly Actor Officer = new("officer-li", "Li", "BankLiaison");

    private static TraceCompleted Trace(string currency, params (string Victim, string Account, decimal Amount)[] holdings) =>
        new(Guid.NewGuid(), Case, TraceRule.ProRata, "digest", 3, 2, new Money(0m, currency), new Money(0m, currency), At,
            holdings.GroupBy(h => h.Victim).Select(g => new VictimTraced(g.Key, new Money(0m, currency), new Money(g.Sum(h => h.Amount), currency),
                g.Select(h => new TracedHolding(h.Account, new Money(h.Amount, currency))).ToList())).ToList());

    /// <summary>A freeze as victim-claim learns of it: the bank's execution, which names the account.</summary>
    private static object[] Frozen(Guid freezeId, string account, decimal amount, string currency = "CNY") =>
    [
        new FreezeExecutedByBank(freezeId, Case, BankExecutionOutcome.FrozenInFull, new Money(amount, currency), null, At, "B", Officer, At,
            AccountNumber: account),
    ];

    /// <summary>The figures of a case traced as given, whose freezes' events arrived in the order given.</summary>
    private static CaseFigures Figures(CaseTracing tracing, IEnumerable<object> freezeEvents)
    {
        var holds = new Dictionary<Guid, InterceptedHold>();
        foreach (var e in freezeEvents)
        {
            var freezeId = InterceptedHold.FreezeIdOf(e);
            if (!holds.TryGetValue(freezeId, out var hold)) holds[freezeId] = hold = new InterceptedHold { Id = freezeId, CaseNumber = Case };
            hold.Apply(e);
        }
        return new CaseFigures(tracing, holds.Values);
    }

    private static CaseTracing Tracing(TraceCompleted trace)
    {
        var tracing = new CaseTracing { Id = Case };
        tracing.Apply(trace);
        return tracing;
    }

    [Fact]
    public void Secured_money_is_split_by_traced_money_with_the_spare_fen_to_the_largest_remainder()
    {
        var trace = Trace("CNY", ("A", "M1", 300.00m), ("B", "M1", 200.00m), ("A", "M2", 300.00m), ("B", "M2", 200.00m));
        var figures = Figures(Tracing(trace), [.. Frozen(Guid.NewGuid(), "M1", 500.00m), .. Frozen(Guid.NewGuid(), "M2", 350.01m)]);
        Assert.Equal((600.00m, 510.01m), (figures.Traced("CNY", "A"), figures.Frozen("CNY", "A")));
        Assert.Equal((400.00m, 340.00m), (figures.Traced("CNY", "B"), figures.Frozen("CNY", "B")));
        Assert.Equal(0m, figures.Frozen("USD", "A"));
    }

    [Fact]
    public void Money_frozen_beyond_what_was_traced_there_is_the_holders_not_the_victims()
    {
        // 1,000 frozen where the trace puts only 120 of A's money: A's share is 120.
        var figures = Figures(Tracing(Trace("CNY", ("A", "6222-0202 0000", 120.00m))), Frozen(Guid.NewGuid(), "622202020000", 1000.00m));
        Assert.Equal(120.00m, figures.Frozen("CNY", "A"));
    }

    [Fact]
    public void A_lapse_frees_what_was_still_frozen_but_not_what_seizure_took()
    {
        var freezeId = Guid.NewGuid();
        var events = Frozen(freezeId, "M1", 500.00m).Concat<object>([
            new FreezeReleased(freezeId, Case, new Money(100.00m, "CNY"), new Money(400.00m, "CNY"), false, "salary", "REL-1", Officer, At),
            new FreezeHandedOverToSeizure(freezeId, Case, new Money(150.00m, "CNY"), new Money(250.00m, "CNY"), false, "seized", "SEZ-1", Officer, At),
            new FreezeLapsed(freezeId, Case, At, new Money(250.00m, "CNY"), At),
        ]).ToList();
        var trace = Tracing(Trace("CNY", ("A", "M1", 500.00m)));
        Assert.Equal(150.00m, Figures(trace, events).Frozen("CNY", "A"));
        // Events in another order give the same figures.
        events.Reverse();
        Assert.Equal(150.00m, Figures(trace, events).Frozen("CNY", "A"));
    }

    [Fact]
    public void Yen_splits_in_whole_yen()
    {
        var trace = Trace("JPY", ("A", "M1", 1m), ("B", "M1", 1m), ("C", "M1", 1m));
        var figures = Figures(Tracing(trace), Frozen(Guid.NewGuid(), "M1", 100m, "JPY"));
        Assert.Equal([1m, 1m, 1m], new[] { "A", "B", "C" }.Select(v => figures.Frozen("JPY", v)));
        var more = Figures(Tracing(Trace("JPY", ("A", "M1", 50m), ("B", "M1", 50m), ("C", "M1", 50m))), Frozen(Guid.NewGuid(), "M1", 100m, "JPY"));
        Assert.Equal([34m, 33m, 33m], new[] { "A", "B", "C" }.Select(v => more.Frozen("JPY", v)));
    }

    [Fact]
    public void An_older_trace_arriving_late_is_ignored()
    {
        var tracing = new CaseTracing { Id = Case };
        var newer = Trace("CNY", ("A", "M1", 10m)) with { CompletedAt = At.AddHours(1) };
        Assert.True(tracing.Apply(newer));
        Assert.False(tracing.Apply(Trace("CNY", ("A", "M1", 99m))));
        Assert.Equal(10m, new CaseFigures(tracing, null).Traced("CNY", "A"));
    }

    [Fact]
    public void Paid_counts_each_payment_once_in_its_currency_with_receipted_pre_trial_returns()
    {
        Guid claimA = Guid.NewGuid(), claimB = Guid.NewGuid(), paymentA = Guid.NewGuid(), returnId = Guid.NewGuid();
        var restitution = new CaseRestitution { Id = Case };
        // A document from before payments were documents of their own: the same payment may come again as a document.
        restitution.Payments[paymentA] = new ConfirmedPayment(claimA, 100.00m, "CNY");
        restitution.PreTrialReturns[returnId] = new PreTrialReturnPayments
        {
            Allocations = [new ConfirmedPayment(claimA, 7.50m, "CNY"), new ConfirmedPayment(claimB, 2.50m, "CNY")],
            Receipted = true,
        };
        restitution.PreTrialReturns[Guid.NewGuid()] = new PreTrialReturnPayments { Allocations = [new ConfirmedPayment(claimB, 1_000m, "CNY")] };
        ClaimPayment Paid(Guid id, Guid claim, decimal amount, string currency = "CNY") =>
            new() { Id = id, CaseNumber = Case, ClaimId = claim, Amount = amount, Currency = currency, ConfirmedAt = At };
        var figures = new CaseFigures(null, null, restitution,
            [Paid(paymentA, claimA, 100.00m), Paid(Guid.NewGuid(), claimA, 0.01m), Paid(Guid.NewGuid(), claimB, 40m), Paid(Guid.NewGuid(), claimB, 9m, "USD")]);

        Assert.Equal(107.51m, figures.Paid(claimA, "CNY"));
        Assert.Equal(42.50m, figures.Paid(claimB, "CNY")); // the return without its receipt does not count
        Assert.Equal(9m, figures.Paid(claimB, "USD"));
        Assert.Equal(0m, new CaseFigures(null, null).Paid(claimA, "CNY"));
    }
}
