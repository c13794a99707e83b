using AssetRecovery.Contracts.Seizure;

namespace AssetRecovery.Seizure.Domain;

/// <summary>
/// Whether property can be recovered from a third party who received it. Recoverable when they knew it came from the
/// fraud, paid nothing, paid far below its market value, or took it for an illegal debt; a good-faith buyer who paid a
/// fair price keeps it.
/// </summary>
public static class Recoverability
{
    /// <summary>
    /// A price below 70 % of the market value is "far below" it: the line Chinese courts use for an obviously
    /// unreasonable low price. Exactly 70 % is not far below.
    /// </summary>
    public const decimal FarBelowMarketRatio = 0.70m;

    public static RecoverabilityDetermination Determine(ThirdPartyAcquisition? thirdParty)
    {
        if (thirdParty is null)
            return new RecoverabilityDetermination(true, [RecoverabilityGround.NoThirdParty],
                "No third party holds it: recoverable from the suspect.");

        var grounds = new List<RecoverabilityGround>();
        var reasons = new List<string>();
        var price = thirdParty.PricePaid;
        if (thirdParty.KnewOfFraud)
        {
            grounds.Add(RecoverabilityGround.KnewOfFraud);
            reasons.Add("knew it came from the fraud");
        }
        if (price.Amount == 0m)
        {
            grounds.Add(RecoverabilityGround.PaidNothing);
            reasons.Add("paid nothing for it");
        }
        else if (thirdParty.MarketValue is { } market && price.Amount < market.Amount * FarBelowMarketRatio)
        {
            grounds.Add(RecoverabilityGround.FarBelowMarketValue);
            reasons.Add($"paid {price.Amount} {price.Currency}, below {FarBelowMarketRatio:P0} of the market value of {market.Amount} {market.Currency}");
        }
        if (thirdParty.ForIllegalDebt)
        {
            grounds.Add(RecoverabilityGround.IllegalDebt);
            reasons.Add("took it in payment of an illegal debt");
        }

        return grounds.Count > 0
            ? new RecoverabilityDetermination(true, grounds, $"Recoverable from {thirdParty.Holder}, who {string.Join("; ", reasons)}.")
            : new RecoverabilityDetermination(false, [RecoverabilityGround.GoodFaithAtFairValue],
                $"Not recoverable: {thirdParty.Holder} acquired it in good faith for {price.Amount} {price.Currency}, a fair price " +
                $"against a market value of {thirdParty.MarketValue?.Amount} {thirdParty.MarketValue?.Currency}.");
    }
}
