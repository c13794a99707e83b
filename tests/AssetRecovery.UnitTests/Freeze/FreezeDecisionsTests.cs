using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Freeze.Domain;
using Microsoft.Extensions.Options;

namespace AssetRecovery.UnitTests.Freeze;

public sealed class FreezeDecisionsTests
{
    private static readonly Actor Officer = new("officer-1", "Officer Li", "BankLiaison");
    private static readonly Actor Investigator = new("inspector-wu", "Inspector Wu", "Investigator");
    private static readonly DateTimeOffset Now = new(2026, 3, 15, 9, 30, 0, TimeSpan.Zero);
    private static readonly FreezeOptions Options = new();
    private static readonly BankAccountRules Banks = new(Microsoft.Extensions.Options.Options.Create(Options));

    private static FreezeRequestInput Valid(FreezeKind kind = FreezeKind.Freeze, string currency = "CNY", decimal? amount = 5_000m,
        string caseNumber = "SZ-2024-0315", string document = "SZPD-FRZ-2024-881") =>
        new(caseNumber, kind, "ICBC", "6222 0202 0011 2233 445", "Zhang San", currency, amount, false, document, "fraud proceeds");

    private static RequestDecision Decide(FreezeRequestInput input, AccountHolds? account = null, DateTimeOffset? at = null)
    {
        FreezeDecisions.Validate(input, Banks);
        return FreezeDecisions.Request(Guid.NewGuid(), input, account, Officer, at ?? Now, Options);
    }

    private static FreezeRequested Requested(FreezeRequestInput input, AccountHolds? account = null) => Decide(input, account).Requested!;

    [Fact]
    public void A_request_records_who_asked_and_normalises_the_account()
    {
        var e = Requested(Valid());

        Assert.Equal(Officer, e.RequestedBy);
        Assert.Equal(Now, e.RequestedAt);
        Assert.Equal("6222020200112233445", e.AccountNumber);
        Assert.Equal(5_000m, e.RequestedAmount);
        Assert.False(e.Queued);
    }

    [Theory]
    [InlineData(FreezeKind.StopPayment, 30)]
    [InlineData(FreezeKind.Freeze, 24 * 60)]
    public void The_bank_acknowledgement_deadline_depends_on_the_kind(FreezeKind kind, int minutes) =>
        Assert.Equal(Now.AddMinutes(minutes), Requested(Valid(kind)).AcknowledgementDueAt);

    [Theory]
    [InlineData(FreezeKind.StopPayment, FreezeAssetType.BankDeposit, false, 0, 48)]
    [InlineData(FreezeKind.Freeze, FreezeAssetType.BankDeposit, false, 6, 0)]
    [InlineData(FreezeKind.Freeze, FreezeAssetType.Remittance, false, 6, 0)]
    [InlineData(FreezeKind.Freeze, FreezeAssetType.FuturesMargin, false, 6, 0)]
    [InlineData(FreezeKind.Freeze, FreezeAssetType.BankDeposit, true, 12, 0)]
    [InlineData(FreezeKind.Freeze, FreezeAssetType.Stocks, false, 24, 0)]
    [InlineData(FreezeKind.Freeze, FreezeAssetType.FundShares, false, 24, 0)]
    public void The_term_follows_kind_asset_and_major_case(FreezeKind kind, FreezeAssetType asset, bool major, int months, int hours)
    {
        var input = Valid(kind) with
        {
            AssetType = asset, MajorCase = major, ApprovedBy = major ? "Director Chen" : null, ApprovalReference = major ? "APP-7" : null,
        };
        var e = Requested(input);

        Assert.Equal(new FreezeTerm(months, hours), e.Term);
        if (major) Assert.Equal(new SeniorApproval("Director Chen", "APP-7"), e.SeniorApproval);
    }

    [Fact]
    public void A_major_case_needs_the_senior_approval_recorded()
    {
        var error = Assert.Throws<RequestValidationException>(() => Decide(Valid() with { MajorCase = true }));
        Assert.Contains("approvedBy", error.Errors.Keys);
        Assert.Contains("approvalReference", error.Errors.Keys);
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
        var error = Assert.Throws<RequestValidationException>(() => Decide(Valid(currency: currency, amount: decimal.Parse(amount))));
        Assert.Contains(field, error.Errors.Keys);
    }

    [Theory]
    [InlineData("JPY", "100")]
    [InlineData("KWD", "1.001")]
    [InlineData("CNY", "0.01")]
    public void Amounts_at_the_currency_precision_are_accepted(string currency, string amount) =>
        Decide(Valid(currency: currency, amount: decimal.Parse(amount)));

    [Theory]
    [InlineData("ICBC", "62220202001122334", "16 or 19 digits")]
    [InlineData("CMB", "6222020200112233445", "16 digits")]
    [InlineData("ICBC", "DE89370400440532013000", "16 or 19 digits")]
    public void A_known_bank_checks_its_account_format(string bank, string account, string why)
    {
        var error = Assert.Throws<RequestValidationException>(() => Decide(Valid() with { BankCode = bank, AccountNumber = account }));
        Assert.Contains(why, error.Errors["accountNumber"].Single());
    }

    [Fact]
    public void The_whole_balance_takes_no_amount_and_a_missing_kind_is_named()
    {
        Assert.Null(Requested(Valid() with { Amount = null, WholeBalance = true }).RequestedAmount);

        var error = Assert.Throws<RequestValidationException>(() => Decide(Valid() with { Kind = null, WholeBalance = true }));
        Assert.Equal(["amount", "kind"], error.Errors.Keys.Order());
    }

    [Fact]
    public void The_same_case_account_and_document_again_is_the_same_freeze()
    {
        var first = Decide(Valid());
        var account = Account(first);

        var again = Decide(Valid(), account);

        Assert.True(again.IsRepeat);
        Assert.Equal(first.FreezeId, again.FreezeId);
    }

    [Fact]
    public void A_bank_code_in_another_case_or_padding_is_the_same_bank_and_the_same_account_stream()
    {
        Assert.Equal(AccountHolds.StreamIdFor("ICBC", "6222020200112233445"), AccountHolds.StreamIdFor(" icbc", "6222 0202 0011 2233 445"));
        var first = Decide(Valid());

        var again = Decide(Valid() with { BankCode = "icbc " }, Account(first));

        Assert.True(again.IsRepeat);
        Assert.Equal("ICBC", first.Requested!.BankCode);
    }

    [Fact]
    public void An_account_held_for_another_case_queues_the_request_without_a_deadline()
    {
        var account = Account(Decide(Valid(caseNumber: "SZ-2024-0001")));

        var second = Requested(Valid(caseNumber: "SZ-2024-0002"), account);

        Assert.True(second.Queued);
        Assert.Null(second.AcknowledgementDueAt);
    }

    [Fact]
    public void An_account_takes_at_most_two_stop_payments_in_total()
    {
        var first = Decide(Valid(FreezeKind.StopPayment, document: "STOP-1"));
        var account = Account(first);
        account = Ended(account, first.FreezeId, FreezeStatus.Lapsed);
        var second = Decide(Valid(FreezeKind.StopPayment, document: "STOP-2"), account);
        account = Ended(Account(second, account), second.FreezeId, FreezeStatus.Lapsed);

        var third = Assert.Throws<DomainRuleViolationException>(() => Decide(Valid(FreezeKind.StopPayment, document: "STOP-3"), account));

        Assert.Equal("stop-payment.limit-reached", third.Rule);
        Assert.False(Decide(Valid(FreezeKind.Freeze, document: "FRZ-1"), account).IsRepeat); // a formal freeze still can
    }

    [Fact]
    public void A_second_stop_while_the_first_is_in_force_is_refused()
    {
        var account = Account(Decide(Valid(FreezeKind.StopPayment, document: "STOP-1")));

        var error = Assert.Throws<DomainRuleViolationException>(() => Decide(Valid(FreezeKind.StopPayment, document: "STOP-2"), account));

        Assert.Equal("stop-payment.already-active", error.Rule);
    }

    [Fact]
    public void A_formal_freeze_of_the_same_case_replaces_its_stop_payment()
    {
        var stop = Decide(Valid(FreezeKind.StopPayment, document: "STOP-1"));

        var freeze = Decide(Valid(FreezeKind.Freeze, document: "FRZ-1"), Account(stop));

        Assert.Equal(stop.FreezeId, freeze.ConvertedStopPayment!.FreezeId);
        Assert.Equal(stop.FreezeId, freeze.Requested!.ConvertsStopPaymentId);
        Assert.False(freeze.Requested.Queued);
    }

    [Fact]
    public void A_second_formal_freeze_of_the_same_case_on_the_account_is_refused()
    {
        var account = Account(Decide(Valid(document: "FRZ-1")));

        var error = Assert.Throws<DomainRuleViolationException>(() => Decide(Valid(document: "FRZ-2"), account));

        Assert.Equal("freeze.already-held", error.Rule);
    }

    [Fact]
    public void In_full_freezes_the_requested_amount_until_the_end_of_the_term()
    {
        var freeze = Created(Valid(amount: 5_000m));

        var e = Assert.IsType<FreezeExecutedByBank>(FreezeDecisions.RecordBankExecution(freeze,
            new BankExecutionInput(BankExecutionOutcome.FrozenInFull, null, null, null, null, Now.AddMinutes(5), "B-1"), Officer, Now.AddMinutes(6)));

        Assert.Equal(new Money(5_000m, "CNY"), e.FrozenAmount);
        Assert.Equal(Now.AddMinutes(5), e.ExecutedAt);
        Assert.Equal(Now.AddMinutes(5).AddMonths(6), e.ExpiresAt);
    }

    [Fact]
    public void A_stop_payment_lasts_48_hours_from_execution()
    {
        var stop = Executed(Created(Valid(FreezeKind.StopPayment)));

        Assert.Equal(Now.AddHours(48), stop.ExpiresAt);
    }

    [Fact]
    public void In_part_freezes_what_the_bank_froze_below_the_request_and_within_the_balance()
    {
        var freeze = Created(Valid(amount: 5_000m));
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
        var freeze = Created(Valid());
        var e = Assert.IsType<FreezeRejectedByBank>(FreezeDecisions.RecordBankExecution(freeze,
            new BankExecutionInput(BankExecutionOutcome.Rejected, null, null, "AccountClosed", null, null, null), Officer, Now));
        Assert.Equal("AccountClosed", e.ReasonCode);

        var unknown = Assert.Throws<RequestValidationException>(() => FreezeDecisions.RecordBankExecution(freeze,
            new BankExecutionInput(BankExecutionOutcome.Rejected, null, null, "Busy", null, null, null), Officer, Now));
        Assert.Contains("reasonCode", unknown.Errors.Keys);
    }

    [Fact]
    public void A_result_in_the_future_a_second_result_or_one_for_a_queued_freeze_is_refused()
    {
        var freeze = Created(Valid());
        var future = Assert.Throws<RequestValidationException>(() => FreezeDecisions.RecordBankExecution(freeze,
            new BankExecutionInput(BankExecutionOutcome.FrozenInFull, null, null, null, null, Now.AddHours(1), null), Officer, Now));
        Assert.Contains("executedAt", future.Errors.Keys);

        var again = Assert.Throws<DomainRuleViolationException>(() => FreezeDecisions.RecordBankExecution(Executed(freeze),
            new BankExecutionInput(BankExecutionOutcome.FrozenInFull, null, null, null, null, null, null), Officer, Now));
        Assert.Equal("freeze.already-executed", again.Rule);

        var queued = AssetRecovery.Freeze.Domain.Freeze.Create(Requested(Valid(caseNumber: "B"), Account(Decide(Valid(caseNumber: "A")))));
        var early = Assert.Throws<DomainRuleViolationException>(() => FreezeDecisions.RecordBankExecution(queued,
            new BankExecutionInput(BankExecutionOutcome.FrozenInFull, null, null, null, null, null, null), Officer, Now));
        Assert.Equal("freeze.queued", early.Rule);
    }

    [Fact]
    public void A_renewal_before_expiry_extends_by_the_original_term_and_never_longer()
    {
        var freeze = Executed(Created(Valid())); // 6 months from Now
        var renewal = FreezeDecisions.Renew(freeze, new RenewalInput(null, "SZPD-RNW-1", "investigation continues"), Investigator, Now.AddMonths(5));

        Assert.Equal(Now.AddMonths(6), renewal.PreviousExpiresAt);
        Assert.Equal(Now.AddMonths(12), renewal.NewExpiresAt);
        Assert.Equal(Investigator, renewal.RenewedBy);

        var shorter = FreezeDecisions.Renew(freeze, new RenewalInput(3, "SZPD-RNW-1", "r"), Investigator, Now.AddMonths(5));
        Assert.Equal(Now.AddMonths(9), shorter.NewExpiresAt);

        var longer = Assert.Throws<RequestValidationException>(() =>
            FreezeDecisions.Renew(freeze, new RenewalInput(7, "SZPD-RNW-1", "r"), Investigator, Now.AddMonths(5)));
        Assert.Contains("termMonths", longer.Errors.Keys);

        var late = Assert.Throws<DomainRuleViolationException>(() =>
            FreezeDecisions.Renew(freeze, new RenewalInput(null, "SZPD-RNW-1", "r"), Investigator, Now.AddMonths(6)));
        Assert.Equal("freeze.expired", late.Rule);
    }

    [Fact]
    public void A_stop_payment_is_not_renewed()
    {
        var stop = Executed(Created(Valid(FreezeKind.StopPayment)));

        var error = Assert.Throws<DomainRuleViolationException>(() =>
            FreezeDecisions.Renew(stop, new RenewalInput(null, "DOC", "r"), Investigator, Now.AddHours(1)));

        Assert.Equal("stop-payment.not-renewable", error.Rule);
    }

    [Fact]
    public void A_release_in_part_keeps_the_rest_frozen_and_one_of_everything_ends_it()
    {
        var freeze = Executed(Created(Valid(amount: 5_000m)));

        var part = FreezeDecisions.Release(freeze, new ReleaseInput(1_200.50m, "victim's own salary", "REL-1"), Investigator, Now);
        Assert.False(part.Whole);
        Assert.Equal(new Money(3_799.50m, "CNY"), part.Remaining);

        var rest = freeze.Apply(part);
        var whole = FreezeDecisions.Release(rest, new ReleaseInput(null, "case closed", "REL-2"), Investigator, Now);
        Assert.True(whole.Whole);
        Assert.Equal(new Money(3_799.50m, "CNY"), whole.Released);
        Assert.Equal(FreezeStatus.Released, rest.Apply(whole).Status);
        Assert.Equal(new Money(5_000m, "CNY"), rest.Apply(whole).Released);

        var tooMuch = Assert.Throws<RequestValidationException>(() =>
            FreezeDecisions.Release(rest, new ReleaseInput(4_000m, "r", "REL-3"), Investigator, Now));
        Assert.Contains("amount", tooMuch.Errors.Keys);
        var noReason = Assert.Throws<RequestValidationException>(() => FreezeDecisions.Release(rest, new ReleaseInput(1m, " ", null), Investigator, Now));
        Assert.Equal(["documentReference", "reason"], noReason.Errors.Keys.Order());
    }

    [Fact]
    public void A_hand_over_to_seizure_takes_exactly_what_it_names_and_ends_the_hold_when_nothing_is_left()
    {
        var freeze = Executed(Created(Valid(amount: 1_000m)));

        var part = FreezeDecisions.HandOverToSeizure(freeze, new ReleaseInput(333.33m, "seizure order", "SZ-1"), Investigator, Now);
        var afterPart = freeze.Apply(part);
        Assert.Equal((new Money(333.33m, "CNY"), new Money(666.67m, "CNY"), false), (part.HandedOver, part.Remaining, part.Whole));
        Assert.True(afterPart.IsFrozen);

        var rest = FreezeDecisions.HandOverToSeizure(afterPart, new ReleaseInput(null, "seizure order", "SZ-2"), Investigator, Now);
        var ended = afterPart.Apply(rest);
        Assert.True(rest.Whole);
        Assert.Equal(FreezeStatus.HandedOverToSeizure, ended.Status);
        Assert.Equal(new Money(1_000m, "CNY"), ended.HandedOverToSeizure);
        Assert.Equal(0m, ended.FrozenAmount!.Amount);

        var error = Assert.Throws<DomainRuleViolationException>(() =>
            FreezeDecisions.HandOverToSeizure(ended, new ReleaseInput(1m, "r", "SZ-3"), Investigator, Now));
        Assert.Equal("freeze.not-frozen", error.Rule);
    }

    [Fact]
    public void A_hand_over_for_a_seizure_happens_once_per_seizure_and_never_for_more_than_is_frozen()
    {
        var freeze = Executed(Created(Valid(amount: 1_000m)));
        var seizureId = Guid.NewGuid();

        var handed = FreezeDecisions.HandOverForSeizure(freeze, seizureId, freeze.CaseNumber, new Money(400.40m, "CNY"), "seizure", "SZ-1",
            Investigator, Now)!;
        Assert.Equal((seizureId, new Money(599.60m, "CNY")), (handed.SeizureId, handed.Remaining));
        var after = freeze.Apply(handed);
        Assert.Null(FreezeDecisions.HandOverForSeizure(after, seizureId, freeze.CaseNumber, new Money(400.40m, "CNY"), "seizure", "SZ-1",
            Investigator, Now));

        Assert.Equal("freeze.exceeds-frozen", Assert.Throws<DomainRuleViolationException>(() => FreezeDecisions.HandOverForSeizure(after,
            Guid.NewGuid(), freeze.CaseNumber, new Money(599.61m, "CNY"), "seizure", "SZ-2", Investigator, Now)).Rule);
        Assert.Equal("freeze.currency-mismatch", Assert.Throws<DomainRuleViolationException>(() => FreezeDecisions.HandOverForSeizure(after,
            Guid.NewGuid(), freeze.CaseNumber, new Money(1m, "USD"), "seizure", "SZ-2", Investigator, Now)).Rule);
        Assert.Equal("freeze.other-case", Assert.Throws<DomainRuleViolationException>(() => FreezeDecisions.HandOverForSeizure(after,
            Guid.NewGuid(), "SZ-OTHER", new Money(1m, "CNY"), "seizure", "SZ-2", Investigator, Now)).Rule);
    }

    [Fact]
    public void A_reminder_and_a_lapse_apply_to_the_term_they_were_scheduled_for()
    {
        var freeze = Executed(Created(Valid())); // expires Now + 6 months; the saga schedules the reminder 7 days before
        var expiry = Now.AddMonths(6);

        var reminder = FreezeDecisions.Remind(freeze, expiry, expiry.AddDays(-7));
        Assert.Equal(expiry, reminder!.ExpiresAt);
        Assert.Null(FreezeDecisions.Remind(freeze.Apply(reminder), expiry, expiry.AddDays(-6))); // once per term

        // Delivered by a host whose clock is a little behind: the term named has ended, so it lapses all the same.
        var lapsed = FreezeDecisions.Lapse(freeze, expiry, expiry.AddMilliseconds(-3));
        Assert.Equal(expiry, lapsed!.ExpiredAt);
        Assert.Equal(FreezeStatus.Lapsed, freeze.Apply(lapsed).Status);

        // Renewed meanwhile: the old term's reminder and end find it moved and do nothing.
        var renewed = freeze.Apply(FreezeDecisions.Renew(freeze, new RenewalInput(null, "RNW", "r"), Investigator, expiry.AddDays(-1)));
        Assert.Null(FreezeDecisions.Remind(renewed, expiry, expiry));
        Assert.Null(FreezeDecisions.Lapse(renewed, expiry, expiry.AddMinutes(1)));
        Assert.NotNull(FreezeDecisions.Lapse(renewed, Now.AddMonths(12), Now.AddMonths(12)));
    }

    [Fact]
    public void Overdue_is_flagged_once_for_the_deadline_that_passed_and_only_while_the_bank_has_not_answered()
    {
        var freeze = Created(Valid());
        var due = freeze.AcknowledgementDueAt!.Value;
        var overdue = FreezeDecisions.FlagOverdue(freeze, due, due.AddMilliseconds(-2));
        Assert.Equal(due, overdue!.DueAt);

        Assert.Null(FreezeDecisions.FlagOverdue(freeze.Apply(overdue), due, Now.AddDays(3)));
        Assert.Null(FreezeDecisions.FlagOverdue(Executed(freeze), due, Now.AddDays(2)));
        Assert.Null(FreezeDecisions.FlagOverdue(freeze, due.AddHours(-1), Now.AddDays(2))); // an earlier deadline than the current one
    }

    private static AssetRecovery.Freeze.Domain.Freeze Created(FreezeRequestInput input) =>
        AssetRecovery.Freeze.Domain.Freeze.Create(Requested(input));

    private static AssetRecovery.Freeze.Domain.Freeze Executed(AssetRecovery.Freeze.Domain.Freeze freeze) =>
        freeze.Apply((FreezeExecutedByBank)FreezeDecisions.RecordBankExecution(freeze,
            new BankExecutionInput(BankExecutionOutcome.FrozenInFull, freeze.RequestedAmount is null ? 100m : null, null, null, null, null, null),
            Officer, Now));

    private static AccountHolds Account(RequestDecision decision, AccountHolds? account = null) =>
        account is null ? AccountHolds.Create(decision.Registration!) : account.Apply(decision.Registration!);

    private static AccountHolds Ended(AccountHolds account, Guid freezeId, FreezeStatus reason) =>
        account.Apply(new AccountHoldEnded(account.BankCode, account.AccountNumber, freezeId, "case", reason.ToString(), Now));
}
