using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Restitution;
using AssetRecovery.Restitution.Ledger;
using JasperFx.Events;

namespace AssetRecovery.UnitTests.Restitution;

/// <summary>The case ledger's account of a round's payments, applied event by event as the async daemon would.</summary>
public sealed class CaseLedgerProjectionTests
{
    private static readonly Actor Bank = new("bank-icbc", "ICBC", "BankLiaison");
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
    private long _sequence;

    private IEvent<T> Event<T>(T data) where T : notnull => new Event<T>(data) { Sequence = ++_sequence, Timestamp = Now };

    [Fact]
    public void Confirmed_payments_count_as_paid_and_only_a_confiscation_creditors_as_confiscated()
    {
        var projection = new CaseLedgerProjection();
        var ledger = new CaseLedger { Id = "SZ-2026-100777" };
        var (roundId, claimId) = (Guid.NewGuid(), Guid.NewGuid());
        var toVictim = new RoundAllocation(Guid.NewGuid(), PriorityClass.VictimLosses, claimId, null, "Li Hua", new Money(317.65m, "CNY"));
        var toState = new RoundAllocation(Guid.NewGuid(), PriorityClass.Confiscation, null, "treasury", "State treasury", new Money(30.00m, "CNY"));
        projection.Apply(Event(new DistributionRoundPlanned(roundId, ledger.Id, Guid.NewGuid(), 1, DistributionPolicy.ProRata,
            new Money(347.65m, "CNY"), new Money(347.65m, "CNY"), [toVictim, toState], "ROUND-1", Bank, Now)), ledger);

        foreach (var a in new[] { toVictim, toState })
            projection.Apply(Event(new PaymentConfirmed(a.PaymentId, roundId, ledger.Id, a.ClaimId, a.Amount, $"REF-{a.Payee}", Bank, Now)), ledger);

        Assert.Equal(347.65m, ledger.Paid["CNY"]);
        Assert.Equal(30.00m, ledger.Confiscated["CNY"]);
        Assert.Equal((317.65m, 317.65m), (ledger.Victims[claimId].Allocated, ledger.Victims[claimId].Paid));
        // A victim's payment is VictimLosses by definition: only the other creditors' classes are kept.
        Assert.Equal([toState.PaymentId], ledger.PaymentClasses.Keys);
    }
}
