using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Contracts.Seizure;
using AssetRecovery.Seizure.Custody;
using AssetRecovery.Seizure.Domain;

namespace AssetRecovery.UnitTests.Seizure;

public sealed class FrozenFundsSeizureTests
{
    private static readonly Actor Investigator = new("inspector-wu", "Inspector Wu", "Investigator");
    private static readonly Actor Officer = new("officer-li", "Officer Li", "BankLiaison");
    private static readonly DateTimeOffset Now = new(2026, 3, 15, 9, 30, 0, TimeSpan.Zero);

    private static FrozenFunds Frozen(decimal amount, string currency = "CNY") => FrozenFunds.From(new FreezeExecutedByBank(
        Guid.NewGuid(), "SZ-2026-0001", BankExecutionOutcome.FrozenInPart, new Money(amount, currency), new Money(amount, currency),
        Now.AddDays(-1), "ICBC-1", Officer, Now.AddDays(-1)));

    private static FrozenFundsSeizureRequested Seize(FrozenFunds funds, decimal? amount, string document = "SZPD-SZ-1") =>
        SeizureDecisions.RequestSeizure(funds, Guid.NewGuid(), new SeizureInput(amount, document, "court seizure order"), Investigator, Now);

    [Fact]
    public void Part_of_a_frozen_sum_is_seized_and_reserved_so_only_the_rest_stays_available()
    {
        var funds = Frozen(10_000.00m);

        var seizure = Seize(funds, 4_000.01m);
        funds.Reserve(seizure.SeizureId, seizure.Amount.Amount, Now);

        Assert.Equal((new Money(4_000.01m, "CNY"), funds.Id, "SZ-2026-0001", Investigator), (seizure.Amount, seizure.FreezeId, seizure.CaseNumber, seizure.RequestedBy));
        Assert.Equal(10_000.00m, funds.Frozen.Amount);
        Assert.Equal(4_000.01m, funds.Reserved.Amount);
        Assert.Equal(5_999.99m, funds.AvailableToSeize.Amount);
    }

    [Fact]
    public void No_amount_takes_all_that_is_available_and_then_nothing_is_left_to_seize()
    {
        var funds = Frozen(10_000.00m);
        var first = Seize(funds, 2_500.00m);
        funds.Reserve(first.SeizureId, first.Amount.Amount, Now);

        var rest = Seize(funds, null, "SZPD-SZ-2");
        funds.Reserve(rest.SeizureId, rest.Amount.Amount, Now);

        Assert.Equal(7_500.00m, rest.Amount.Amount);
        Assert.Equal(0m, funds.AvailableToSeize.Amount);
        var again = Assert.Throws<DomainRuleViolationException>(() => Seize(funds, 0.01m, "SZPD-SZ-3"));
        Assert.Equal("seizure.exceeds-available", again.Rule);
    }

    [Fact]
    public void More_than_is_available_is_refused_and_names_the_figures()
    {
        var funds = Frozen(1_000.00m);
        var first = Seize(funds, 600.00m);
        funds.Reserve(first.SeizureId, first.Amount.Amount, Now);

        var refused = Assert.Throws<DomainRuleViolationException>(() => Seize(funds, 400.01m, "SZPD-SZ-2"));

        Assert.Equal("seizure.exceeds-available", refused.Rule);
        Assert.Contains("Only 400.00 CNY", refused.Message);
        Assert.Equal(400.00m, Seize(funds, 400.00m, "SZPD-SZ-3").Amount.Amount);
    }

    [Fact]
    public void Bad_input_names_every_field()
    {
        var error = Assert.Throws<RequestValidationException>(() =>
            SeizureDecisions.RequestSeizure(Frozen(100m), Guid.NewGuid(), new SeizureInput(10.001m, " ", null), Investigator, Now));

        Assert.Equal(["amount", "legalDocumentReference", "reason"], error.Errors.Keys.Order());
        Assert.Contains("more decimal places than CNY allows", error.Errors["amount"].Single());
    }

    [Fact]
    public void Hand_over_moves_the_reservation_to_seized_and_money_is_never_both_frozen_and_seized()
    {
        var funds = Frozen(10_000.00m);
        var seizure = Seize(funds, 4_000.01m);
        funds.Reserve(seizure.SeizureId, seizure.Amount.Amount, Now);

        funds.HandedOver(seizure.SeizureId, 4_000.01m, whole: false, Now);

        Assert.Equal((5_999.99m, 0m, 4_000.01m, 5_999.99m),
            (funds.Frozen.Amount, funds.Reserved.Amount, funds.Seized.Amount, funds.AvailableToSeize.Amount));
        Assert.Equal(funds.FrozenAtExecution.Amount, funds.Frozen.Amount + funds.Seized.Amount + funds.Released.Amount);
    }

    [Fact]
    public void Releases_and_lapses_take_money_out_of_reach_and_a_refusal_lifts_the_reservation()
    {
        var funds = Frozen(10_000.00m);
        var seizure = Seize(funds, 3_000.00m);
        funds.Reserve(seizure.SeizureId, seizure.Amount.Amount, Now);

        funds.Freed(999.99m, endReason: null, Now);
        Assert.Equal(6_000.01m, funds.AvailableToSeize.Amount);

        funds.Lift(seizure.SeizureId, Now);
        Assert.Equal(9_000.01m, funds.AvailableToSeize.Amount);

        funds.Freed(9_000.01m, "Lapsed", Now);
        Assert.Equal((0m, 0m, 10_000.00m, "Lapsed"), (funds.Frozen.Amount, funds.AvailableToSeize.Amount, funds.Released.Amount, funds.EndReason));
        Assert.Equal("seizure.not-frozen", Assert.Throws<DomainRuleViolationException>(() => Seize(funds, 1m)).Rule);
    }

    [Fact]
    public void The_freeze_service_events_give_the_same_figures_in_any_order()
    {
        // 10,000 frozen; 4,000 handed over for a seizure; the remaining 6,000 released in whole.
        var inOrder = Frozen(10_000m);
        var outOfOrder = Frozen(10_000m);
        var seizureId = Guid.NewGuid();
        inOrder.Reserve(seizureId, 4_000m, Now);
        outOfOrder.Reserve(seizureId, 4_000m, Now);

        inOrder.HandedOver(seizureId, 4_000m, whole: false, Now);
        inOrder.Freed(6_000m, "Released", Now);
        outOfOrder.Freed(6_000m, "Released", Now);
        outOfOrder.HandedOver(seizureId, 4_000m, whole: false, Now);

        foreach (var funds in new[] { inOrder, outOfOrder })
            Assert.Equal((0m, 0m, 4_000m, 6_000m, 0m), (funds.Frozen.Amount, funds.Reserved.Amount, funds.Seized.Amount, funds.Released.Amount,
                funds.AvailableToSeize.Amount));
    }
}
