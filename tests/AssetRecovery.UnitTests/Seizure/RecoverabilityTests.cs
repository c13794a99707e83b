using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Seizure;
using AssetRecovery.Seizure.Domain;

namespace AssetRecovery.UnitTests.Seizure;

public sealed class RecoverabilityTests
{
    private static ThirdPartyAcquisition Buyer(decimal paid, decimal? market = 1_000_000m, bool knew = false, bool illegalDebt = false) =>
        new("Wang Wu", knew, new Money(paid, "CNY"), market is { } m ? new Money(m, "CNY") : null, illegalDebt);

    [Fact]
    public void The_suspects_own_asset_is_recoverable()
    {
        var d = Recoverability.Determine(null);
        Assert.True(d.Recoverable);
        Assert.Equal([RecoverabilityGround.NoThirdParty], d.Grounds);
    }

    [Fact]
    public void A_good_faith_buyer_at_a_fair_price_keeps_it()
    {
        var d = Recoverability.Determine(Buyer(950_000m));

        Assert.False(d.Recoverable);
        Assert.Equal([RecoverabilityGround.GoodFaithAtFairValue], d.Grounds);
        Assert.Contains("good faith", d.Explanation);
    }

    // 70 % of 1,000,000 is 700,000: below it is far below market value, at it is not.
    [Theory]
    [InlineData(699_999.99, true)]
    [InlineData(690_000.00, true)]
    [InlineData(700_000.00, false)]
    [InlineData(1_000_000.00, false)]
    public void A_price_below_70_percent_of_market_value_is_far_below_it(decimal paid, bool recoverable)
    {
        var d = Recoverability.Determine(Buyer(paid));

        Assert.Equal(recoverable, d.Recoverable);
        Assert.Equal(recoverable ? RecoverabilityGround.FarBelowMarketValue : RecoverabilityGround.GoodFaithAtFairValue, d.Grounds.Single());
    }

    [Fact]
    public void Knowing_paying_nothing_and_an_illegal_debt_each_make_it_recoverable_and_all_grounds_are_named()
    {
        Assert.Equal([RecoverabilityGround.KnewOfFraud], Recoverability.Determine(Buyer(1_000_000m, knew: true)).Grounds);
        Assert.Equal([RecoverabilityGround.PaidNothing], Recoverability.Determine(Buyer(0m, market: null)).Grounds);
        Assert.Equal([RecoverabilityGround.IllegalDebt], Recoverability.Determine(Buyer(1_000_000m, illegalDebt: true)).Grounds);

        var all = Recoverability.Determine(Buyer(0m, knew: true, illegalDebt: true));
        Assert.True(all.Recoverable);
        Assert.Equal([RecoverabilityGround.KnewOfFraud, RecoverabilityGround.PaidNothing, RecoverabilityGround.IllegalDebt], all.Grounds);
        Assert.Contains("Wang Wu", all.Explanation);
    }
}
