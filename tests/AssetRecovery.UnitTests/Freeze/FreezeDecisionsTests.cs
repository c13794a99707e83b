using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Freeze.Domain;

namespace AssetRecovery.UnitTests.Freeze;

public sealed class FreezeDecisionsTests
{
    private static readonly Actor Officer = new("officer-1", "Officer Li", "BankLiaison");
    private static readonly DateTimeOffset Now = new(2026, 3, 15, 9, 30, 0, TimeSpan.Zero);
    private static readonly FreezeOptions Options = new();

    private static FreezeRequestInput Valid(FreezeKind kind = FreezeKind.Freeze, string currency = "CNY", decimal? amount = 5_000m) =>
        new("SZ-2024-0315", kind, "ICBC", "6222 0202 0011 2233 445", "Zhang San", currency, amount, false, "SZPD-FRZ-2024-881", "fraud proceeds");

    [Fact]
    public void A_request_records_who_asked_and_normalises_the_account()
    {
        var e = FreezeDecisions.Request(Guid.NewGuid(), Valid(), Officer, Now, Options);

        Assert.Equal(Officer, e.RequestedBy);
        Assert.Equal(Now, e.RequestedAt);
        Assert.Equal("6222020200112233445", e.AccountNumber);
        Assert.Equal(5_000m, e.RequestedAmount);
    }

    [Theory]
    [InlineData(FreezeKind.StopPayment, 30)]
    [InlineData(FreezeKind.Freeze, 24 * 60)]
    public void The_bank_acknowledgement_deadline_depends_on_the_kind(FreezeKind kind, int minutes)
    {
        var e = FreezeDecisions.Request(Guid.NewGuid(), Valid(kind), Officer, Now, Options);

        Assert.Equal(Now.AddMinutes(minutes), e.AcknowledgementDueAt);
    }

    [Theory]
    [InlineData("JPY", "100.5", "amount")]
    [InlineData("CNY", "0.001", "amount")]
    [InlineData("KWD", "1.0001", "amount")]
    [InlineData("CNY", "0", "amount")]
    [InlineData("CNY", "-1", "amount")]
    [InlineData("XYZ", "1", "currency")]
    public void Amounts_must_be_positive_and_fit_the_currency(string currency, string amount, string field)
    {
        var error = Assert.Throws<RequestValidationException>(() =>
            FreezeDecisions.Request(Guid.NewGuid(), Valid(currency: currency, amount: decimal.Parse(amount)), Officer, Now, Options));

        Assert.Contains(field, error.Errors.Keys);
    }

    [Theory]
    [InlineData("JPY", "100")]
    [InlineData("KWD", "1.001")]
    [InlineData("CNY", "0.01")]
    public void Amounts_at_the_currency_precision_are_accepted(string currency, string amount) =>
        FreezeDecisions.Request(Guid.NewGuid(), Valid(currency: currency, amount: decimal.Parse(amount)), Officer, Now, Options);

    [Fact]
    public void The_whole_balance_takes_no_amount_and_a_missing_kind_is_named()
    {
        var whole = FreezeDecisions.Request(Guid.NewGuid(), Valid() with { Amount = null, WholeBalance = true }, Officer, Now, Options);
        Assert.Null(whole.RequestedAmount);

        var error = Assert.Throws<RequestValidationException>(() =>
            FreezeDecisions.Request(Guid.NewGuid(), Valid() with { Kind = null, WholeBalance = true }, Officer, Now, Options));
        Assert.Equal(["kind", "amount"], error.Errors.Keys.Order().Reverse());
    }

    [Fact]
    public void In_full_freezes_the_requested_amount()
    {
        var freeze = Requested(5_000m);

        var e = Assert.IsType<FreezeExecutedByBank>(FreezeDecisions.RecordBankExecution(freeze,
            new BankExecutionInput(BankExecutionOutcome.FrozenInFull, null, null, null, null, Now.AddMinutes(5), "B-1"), Officer, Now.AddMinutes(6)));

        Assert.Equal(new Money(5_000m, "CNY"), e.FrozenAmount);
        Assert.Equal(Now.AddMinutes(5), e.ExecutedAt);
    }

    [Fact]
    public void In_part_freezes_what_the_bank_froze_below_the_request_and_within_the_balance()
    {
        var freeze = Requested(5_000m);
        var e = Assert.IsType<FreezeExecutedByBank>(FreezeDecisions.RecordBankExecution(freeze,
            new BankExecutionInput(BankExecutionOutcome.FrozenInPart, 1_234.56m, 1_234.56m, null, null, null, null), Officer, Now));
        Assert.Equal(new Money(1_234.56m, "CNY"), e.FrozenAmount);

        var tooMuch = Assert.Throws<RequestValidationException>(() => FreezeDecisions.RecordBankExecution(freeze,
            new BankExecutionInput(BankExecutionOutcome.FrozenInPart, 5_000m, 6_000m, null, null, null, null), Officer, Now));
        Assert.Contains("frozenAmount", tooMuch.Errors.Keys);

        var overBalance = Assert.Throws<RequestValidationException>(() => FreezeDecisions.RecordBankExecution(freeze,
            new BankExecutionInput(BankExecutionOutcome.FrozenInPart, 300m, 200m, null, null, null, null), Officer, Now));
        Assert.Contains("frozenAmount", overBalance.Errors.Keys);
    }

    [Fact]
    public void A_rejection_needs_a_known_reason_code()
    {
        var freeze = Requested(5_000m);
        var e = Assert.IsType<FreezeRejectedByBank>(FreezeDecisions.RecordBankExecution(freeze,
            new BankExecutionInput(BankExecutionOutcome.Rejected, null, null, "AccountClosed", null, null, null), Officer, Now));
        Assert.Equal("AccountClosed", e.ReasonCode);

        var unknown = Assert.Throws<RequestValidationException>(() => FreezeDecisions.RecordBankExecution(freeze,
            new BankExecutionInput(BankExecutionOutcome.Rejected, null, null, "Busy", null, null, null), Officer, Now));
        Assert.Contains("reasonCode", unknown.Errors.Keys);
    }

    [Fact]
    public void A_result_in_the_future_or_a_second_result_is_refused()
    {
        var freeze = Requested(5_000m);
        var future = Assert.Throws<RequestValidationException>(() => FreezeDecisions.RecordBankExecution(freeze,
            new BankExecutionInput(BankExecutionOutcome.FrozenInFull, null, null, null, null, Now.AddHours(1), null), Officer, Now));
        Assert.Contains("executedAt", future.Errors.Keys);

        var executed = freeze.Apply((FreezeExecutedByBank)FreezeDecisions.RecordBankExecution(freeze,
            new BankExecutionInput(BankExecutionOutcome.FrozenInFull, null, null, null, null, null, null), Officer, Now));
        var again = Assert.Throws<DomainRuleViolationException>(() => FreezeDecisions.RecordBankExecution(executed,
            new BankExecutionInput(BankExecutionOutcome.FrozenInFull, null, null, null, null, null, null), Officer, Now));
        Assert.Equal("freeze.already-executed", again.Rule);
    }

    [Fact]
    public void Overdue_is_flagged_once_and_only_while_the_bank_has_not_answered()
    {
        var freeze = Requested(5_000m);
        var overdue = FreezeDecisions.FlagOverdue(freeze, Now.AddDays(2));
        Assert.NotNull(overdue);

        Assert.Null(FreezeDecisions.FlagOverdue(freeze.Apply(overdue), Now.AddDays(3)));
        var executed = freeze.Apply((FreezeExecutedByBank)FreezeDecisions.RecordBankExecution(freeze,
            new BankExecutionInput(BankExecutionOutcome.FrozenInFull, null, null, null, null, null, null), Officer, Now));
        Assert.Null(FreezeDecisions.FlagOverdue(executed, Now.AddDays(2)));
    }

    private static AssetRecovery.Freeze.Domain.Freeze Requested(decimal amount) =>
        AssetRecovery.Freeze.Domain.Freeze.Create(FreezeDecisions.Request(Guid.NewGuid(), Valid(amount: amount), Officer, Now, Options));
}
