using AssetRecovery.BuildingBlocks;
using AssetRecovery.Clients.Seizure;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Seizure;
using AssetRecovery.Seizure.Domain;

namespace AssetRecovery.UnitTests.Seizure;

public sealed class AssetDecisionsTests
{
    private static readonly Actor Investigator = new("inspector-wu", "Inspector Wu", "Investigator");
    private static readonly DateTimeOffset Now = new(2026, 3, 15, 9, 30, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 3, 15);

    private static RegisterAssetRequest Coins(ThirdPartyAcquisition? thirdParty = null) => new(
        "SZ-2026-0001", AssetType.VirtualCurrency, "USDT held by the mule's wallet", new AssetOwnerInput("Li Si", "110101199001011234"),
        "SZPD-SZ-2026-17", "bought with victims' money",
        VirtualCurrency: new VirtualCurrencyHolding("Tron", "USDT", "TXa1b2c3d4e5f6", 125_000.123456m),
        Documents: ["SZPD-SZ-2026-17", "wallet-screenshot-1"], ThirdParty: thirdParty);

    private static SeizedAsset Registered(RegisterAssetRequest? request = null) =>
        SeizedAsset.Create(AssetDecisions.Register(Guid.NewGuid(), request ?? Coins(), Protect, Investigator, Now));

    /// <summary>A stand-in for the data-protection encryption: the rules only need the masked form to be kept.</summary>
    private static ProtectedIdNumber Protect(string idNumber) => new($"encrypted:{idNumber.Length}", IdNumbers.Mask(IdNumbers.Normalize(idNumber)));

    private static RecordDisposalRequest Sale(decimal price, decimal fees) =>
        new(DisposalMethod.Sale, price, fees, "CNY", Today, "OKX-SETTLE-88", "sold through a licensed platform", "Licensed platform");

    [Fact]
    public void A_virtual_currency_holding_is_registered_with_chain_token_address_and_quantity()
    {
        var asset = Registered();

        Assert.Equal(AssetType.VirtualCurrency, asset.Type);
        Assert.Equal(new VirtualCurrencyHolding("Tron", "USDT", "TXa1b2c3d4e5f6", 125_000.123456m), asset.VirtualCurrency);
        Assert.Equal(["SZPD-SZ-2026-17", "wallet-screenshot-1"], asset.Documents);
        Assert.True(asset.Recoverability.Recoverable);
        Assert.Equal((AssetStatus.Held, Investigator), (asset.Status, asset.RegisteredBy));
    }

    [Fact]
    public void Details_must_match_the_type()
    {
        var error = Assert.Throws<RequestValidationException>(() => AssetDecisions.Register(Guid.NewGuid(), Coins() with
        {
            Type = AssetType.RealEstate, Owner = null,
        }, Protect, Investigator, Now));

        Assert.Equal(["owner", "realEstate", "virtualCurrency"], error.Errors.Keys.Order());
        Assert.Equal(["virtualCurrency.quantity"], Assert.Throws<RequestValidationException>(() => AssetDecisions.Register(Guid.NewGuid(),
            Coins() with { VirtualCurrency = new VirtualCurrencyHolding("Tron", "USDT", "TX1", 0m) }, Protect, Investigator, Now)).Errors.Keys);
    }

    [Fact]
    public void A_third_party_who_paid_needs_a_market_value_to_judge_the_price()
    {
        var error = Assert.Throws<RequestValidationException>(() => AssetDecisions.Register(Guid.NewGuid(),
            Coins(new ThirdPartyAcquisition("Wang Wu", false, new Money(500_000m, "CNY"), null, false)), Protect, Investigator, Now));
        Assert.Equal(["thirdParty.marketValue"], error.Errors.Keys);

        var bargain = Registered(Coins(new ThirdPartyAcquisition("Wang Wu", false, new Money(500_000m, "CNY"), new Money(900_000m, "CNY"), false)));
        Assert.Equal([RecoverabilityGround.FarBelowMarketValue], bargain.Recoverability.Grounds);
    }

    [Fact]
    public void Valuations_are_all_kept_and_the_latest_by_date_is_current()
    {
        var asset = Registered();
        var march = AssetDecisions.Value(asset, new RecordValuationRequest(890_000.00m, "CNY", Today, ValuationMethod.MarketPrice, "VAL-2"), Investigator, Now);
        var january = AssetDecisions.Value(asset, new RecordValuationRequest(875_000.00m, "CNY", new DateOnly(2026, 1, 10),
            ValuationMethod.ProfessionalAppraisal, "VAL-1", "Appraiser Sun"), Investigator, Now);

        asset = asset.Apply(march).Apply(january);

        Assert.Equal([890_000.00m, 875_000.00m], asset.Valuations.Select(v => v.Value.Amount));
        Assert.Equal(march, asset.CurrentValuation);
        Assert.Equal(["valuedOn"], Assert.Throws<RequestValidationException>(() => AssetDecisions.Value(asset,
            new RecordValuationRequest(1m, "CNY", Today.AddDays(2), ValuationMethod.Other, "VAL-3"), Investigator, Now)).Errors.Keys);
    }

    [Theory]
    [InlineData(1_250_000.00, 37_500.50, 1_212_499.50)]
    [InlineData(100.00, 0.00, 100.00)]
    [InlineData(100.00, 100.00, 0.00)]
    public void Net_proceeds_are_price_less_fees_exactly(decimal price, decimal fees, decimal net)
    {
        var disposed = AssetDecisions.Dispose(Registered(), Sale(price, fees), Investigator, Now);

        Assert.Equal(new Money(net, "CNY"), disposed.NetProceeds);
        Assert.Equal(new Money(net, "CNY"), AssetDecisions.NetProceeds(price, fees, "CNY"));
    }

    [Fact]
    public void Fees_above_the_price_are_refused()
    {
        var error = Assert.Throws<RequestValidationException>(() => AssetDecisions.Dispose(Registered(), Sale(100m, 100.01m), Investigator, Now));
        Assert.Equal(["fees"], error.Errors.Keys);
    }

    [Fact]
    public void An_asset_a_good_faith_buyer_keeps_is_not_sold_but_may_be_returned()
    {
        var kept = Registered(Coins(new ThirdPartyAcquisition("Wang Wu", false, new Money(880_000m, "CNY"), new Money(900_000m, "CNY"), false)));

        Assert.Equal("asset.not-recoverable",
            Assert.Throws<DomainRuleViolationException>(() => AssetDecisions.Dispose(kept, Sale(900_000m, 0m), Investigator, Now)).Rule);

        var returned = kept.Apply(AssetDecisions.ReturnToOwner(kept, new ReturnAssetRequest("Wang Wu", Today, "RET-1", "good-faith buyer"),
            Investigator, Now));
        Assert.Equal(AssetStatus.ReturnedToOwner, returned.Status);
        Assert.Equal("asset.not-held", Assert.Throws<DomainRuleViolationException>(() =>
            AssetDecisions.ReturnToOwner(returned, new ReturnAssetRequest("Wang Wu", Today, "RET-2", "again"), Investigator, Now)).Rule);
    }

    [Fact]
    public void A_disposed_asset_is_not_disposed_of_again()
    {
        var asset = Registered();
        asset = asset.Apply(AssetDecisions.Dispose(asset, Sale(1_000m, 10m), Investigator, Now));

        Assert.Equal(AssetStatus.Disposed, asset.Status);
        Assert.Equal("asset.not-held",
            Assert.Throws<DomainRuleViolationException>(() => AssetDecisions.Dispose(asset, Sale(1_000m, 10m), Investigator, Now)).Rule);
    }
}
