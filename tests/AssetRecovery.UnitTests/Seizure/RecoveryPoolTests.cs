using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Seizure;
using AssetRecovery.Seizure.Domain;

namespace AssetRecovery.UnitTests.Seizure;

public sealed class RecoveryPoolTests
{
    private const string Case = "SZ-2026-0001";
    private static readonly Actor Investigator = new("inspector-wu", "Inspector Wu", "Investigator");
    private static readonly Actor Judge = new("judge-zhao", "Judge Zhao", "Court");
    private static readonly DateTimeOffset Now = new(2026, 3, 15, 9, 30, 0, TimeSpan.Zero);

    private static RecoveryPool Credited(params Money[] credits)
    {
        RecoveryPool? pool = null;
        foreach (var money in credits)
        {
            var credit = RecoveryPoolDecisions.Credit(Case, money, RecoveryPoolCreditSource.SeizedFrozenFunds, Guid.NewGuid(), "seized", Investigator, Now);
            pool = pool is null ? RecoveryPool.Create(credit) : pool.Apply(credit);
        }
        return pool!;
    }

    private static DebitRecoveryPool Instruction(decimal amount, string currency = "CNY", Guid? id = null) =>
        new(id ?? Guid.NewGuid(), Case, new Money(amount, currency), "RST-2026-7", "distribution round 1", Judge);

    private static RecoveryPool Apply(RecoveryPool pool, object? outcome) => outcome switch
    {
        RecoveryPoolDebited d => pool.Apply(d),
        RecoveryPoolDebitRefused r => pool.Apply(r),
        _ => pool,
    };

    [Fact]
    public void Credits_add_up_per_currency_to_the_cent()
    {
        var pool = Credited(new Money(4_000.01m, "CNY"), new Money(12_345.67m, "CNY"), new Money(100.50m, "USD"));

        Assert.Equal(new Money(16_345.68m, "CNY"), pool.BalanceOf("CNY"));
        Assert.Equal(new Money(100.50m, "USD"), pool.BalanceOf("USD"));
        Assert.Equal(RecoveryPool.StreamIdFor(Case), pool.Id);
    }

    [Fact]
    public void A_debit_within_the_balance_is_paid_and_leaves_the_exact_rest()
    {
        var pool = Credited(new Money(4_000.01m, "CNY"), new Money(12_345.67m, "CNY"));

        var debited = Assert.IsType<RecoveryPoolDebited>(RecoveryPoolDecisions.Debit(pool, Instruction(6_345.68m), Now));
        pool = pool.Apply(debited);

        Assert.Equal(new Money(10_000.00m, "CNY"), pool.BalanceOf("CNY"));
        Assert.Equal(Judge, debited.InstructedBy);
        // The whole rest, exactly, may still be paid out: the balance may reach zero, never below.
        pool = Apply(pool, RecoveryPoolDecisions.Debit(pool, Instruction(10_000.00m), Now));
        Assert.Equal(0m, pool.BalanceOf("CNY").Amount);
    }

    [Fact]
    public void A_debit_larger_than_the_balance_is_refused_and_the_balance_is_unchanged()
    {
        var pool = Credited(new Money(4_000.01m, "CNY"), new Money(12_345.67m, "CNY"));

        var refused = Assert.IsType<RecoveryPoolDebitRefused>(RecoveryPoolDecisions.Debit(pool, Instruction(16_345.69m), Now));
        pool = pool.Apply(refused);

        Assert.Equal("pool.insufficient-balance", refused.Rule);
        Assert.Equal(new Money(16_345.68m, "CNY"), refused.Balance);
        Assert.Equal(new Money(16_345.68m, "CNY"), pool.BalanceOf("CNY"));
        Assert.Empty(pool.Debited);
    }

    [Fact]
    public void Currencies_are_never_mixed_and_a_pool_that_does_not_exist_pays_nothing()
    {
        var pool = Credited(new Money(1_000m, "CNY"));

        Assert.Equal("pool.insufficient-balance", Assert.IsType<RecoveryPoolDebitRefused>(RecoveryPoolDecisions.Debit(pool, Instruction(1m, "USD"), Now)).Rule);
        Assert.Equal("pool.insufficient-balance", Assert.IsType<RecoveryPoolDebitRefused>(RecoveryPoolDecisions.Debit(null, Instruction(1m), Now)).Rule);
    }

    [Fact]
    public void An_instruction_is_acted_on_once()
    {
        var pool = Credited(new Money(1_000m, "CNY"));
        var id = Guid.NewGuid();

        pool = Apply(pool, RecoveryPoolDecisions.Debit(pool, Instruction(300m, id: id), Now));
        Assert.Null(RecoveryPoolDecisions.Debit(pool, Instruction(300m, id: id), Now));
        Assert.Equal(700m, pool.BalanceOf("CNY").Amount);

        // A refused instruction stays refused: restitution sends a new one.
        var tooMuch = Guid.NewGuid();
        pool = Apply(pool, RecoveryPoolDecisions.Debit(pool, Instruction(800m, id: tooMuch), Now));
        pool = pool.Apply(RecoveryPoolDecisions.Credit(Case, new Money(500m, "CNY"), RecoveryPoolCreditSource.DisposalProceeds, Guid.NewGuid(), "sold",
            Investigator, Now));
        Assert.Null(RecoveryPoolDecisions.Debit(pool, Instruction(800m, id: tooMuch), Now));
    }

    [Fact]
    public void An_invalid_instruction_is_refused_with_what_is_wrong()
    {
        var pool = Credited(new Money(1_000m, "CNY"));

        var refused = Assert.IsType<RecoveryPoolDebitRefused>(RecoveryPoolDecisions.Debit(pool,
            Instruction(0.001m) with { InstructionReference = " " }, Now));

        Assert.Equal("pool.invalid-instruction", refused.Rule);
        Assert.Contains("amount", refused.Detail);
        Assert.Contains("instructionReference", refused.Detail);
    }

    [Fact]
    public void A_credit_must_be_positive() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RecoveryPoolDecisions.Credit(Case, new Money(0m, "CNY"),
            RecoveryPoolCreditSource.DisposalProceeds, Guid.NewGuid(), "nothing", Investigator, Now));
}
