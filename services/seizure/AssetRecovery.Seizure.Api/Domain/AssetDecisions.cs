using AssetRecovery.BuildingBlocks;
using AssetRecovery.Clients.Seizure;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Seizure;

namespace AssetRecovery.Seizure.Domain;

/// <summary>The rules for non-cash assets: registration, valuations, disposal and return in kind. Each returns the event or refuses.</summary>
public static class AssetDecisions
{
    public const int MaxDocuments = 50;

    public static AssetRegistered Register(Guid assetId, RegisterAssetRequest input, Func<string, ProtectedIdNumber> protect, Actor actor,
        DateTimeOffset now)
    {
        var v = new Validator()
            .Required("caseNumber", input.CaseNumber, 64)
            .Required("description", input.Description, 2000)
            .Required("legalDocumentReference", input.LegalDocumentReference, 128)
            .Required("reason", input.Reason, 2000);
        if (input.Type is not { } type) v.Add("type", $"is required ({string.Join(", ", Enum.GetNames<AssetType>())}).");
        else ValidateDetails(v, type, input);
        if (input.Owner is null) v.Add("owner", "is required (name, and identity number where known).");
        else
        {
            v.Required("owner.name", input.Owner.Name, 200);
            if (input.Owner.IdentityNumber is not null && !IdNumbers.IsWellFormed(IdNumbers.Normalize(input.Owner.IdentityNumber)))
                v.Add("owner.identityNumber", "must be 6 to 32 letters and digits (spaces and hyphens are ignored).");
        }
        var documents = input.Documents ?? [];
        if (documents.Count > MaxDocuments) v.Add("documents", $"must be at most {MaxDocuments}.");
        for (var i = 0; i < documents.Count; i++) v.Required($"documents[{i}]", documents[i], 128);
        if (input.ThirdParty is { } thirdParty) ValidateThirdParty(v, thirdParty);
        v.ThrowIfInvalid();

        return new AssetRegistered(
            assetId, input.CaseNumber!.Trim(), input.Type!.Value, input.Description!.Trim(),
            input.RealEstate, input.Vehicle, input.PreciousMetal, input.VirtualCurrency,
            new AssetOwner(input.Owner!.Name!.Trim(), input.Owner.IdentityNumber is { } id ? protect(id) : null), documents.Select(d => d.Trim()).ToList(),
            input.ThirdParty, Recoverability.Determine(input.ThirdParty),
            input.LegalDocumentReference!.Trim(), input.Reason!.Trim(), actor, now);
    }

    public static AssetValued Value(SeizedAsset asset, RecordValuationRequest input, Actor actor, DateTimeOffset now)
    {
        var v = new Validator()
            .Currency("currency", input.Currency)
            .PositiveAmount("amount", input.Amount, input.Currency)
            .Required("documentReference", input.DocumentReference, 128)
            .Optional("valuer", input.Valuer, 200);
        if (input.Method is null) v.Add("method", $"is required ({string.Join(", ", Enum.GetNames<ValuationMethod>())}).");
        NotInFuture(v, "valuedOn", input.ValuedOn, now);
        v.ThrowIfInvalid();
        EnsureHeld(asset, "value");

        return new AssetValued(asset.Id, asset.CaseNumber, new Money(input.Amount!.Value, input.Currency!), input.ValuedOn!.Value,
            input.Method!.Value, input.Valuer?.Trim(), input.DocumentReference!.Trim(), actor, now);
    }

    /// <summary>Sold or auctioned: the net proceeds (price less fees, never negative) are what the pool receives.</summary>
    public static AssetDisposed Dispose(SeizedAsset asset, RecordDisposalRequest input, Actor actor, DateTimeOffset now)
    {
        var v = new Validator()
            .Currency("currency", input.Currency)
            .PositiveAmount("price", input.Price, input.Currency)
            .Required("documentReference", input.DocumentReference, 128)
            .Required("reason", input.Reason, 2000)
            .Optional("counterparty", input.Counterparty, 200);
        if (input.Method is null) v.Add("method", "is required (Auction or Sale).");
        if (input.Fees is null) v.Add("fees", "is required (0 when there were none).");
        else if (input.Fees < 0m) v.Add("fees", "must not be negative.");
        else if (input.Fees > 0m) v.PositiveAmount("fees", input.Fees, input.Currency);
        if (input.Fees > input.Price) v.Add("fees", "must not exceed the price.");
        NotInFuture(v, "disposedOn", input.DisposedOn, now);
        v.ThrowIfInvalid();
        EnsureHeld(asset, "dispose of");
        if (!asset.Recoverability.Recoverable)
            throw new DomainRuleViolationException("asset.not-recoverable",
                $"Asset {asset.Id} is not recoverable ({asset.Recoverability.Explanation}); it may only be returned to its owner.");

        var (price, fees) = (input.Price!.Value, input.Fees!.Value);
        return new AssetDisposed(asset.Id, asset.CaseNumber, input.Method!.Value, new Money(price, input.Currency!),
            new Money(fees, input.Currency!), NetProceeds(price, fees, input.Currency!), input.DisposedOn!.Value,
            input.Counterparty?.Trim(), input.DocumentReference!.Trim(), input.Reason!.Trim(), actor, now);
    }

    /// <summary>Price less fees, exact to the minor unit (both already fit it).</summary>
    public static Money NetProceeds(decimal price, decimal fees, string currency) =>
        fees > price ? throw new ArgumentOutOfRangeException(nameof(fees), fees, "Fees exceed the price.") : new Money(price - fees, currency);

    public static AssetReturnedToOwner ReturnToOwner(SeizedAsset asset, ReturnAssetRequest input, Actor actor, DateTimeOffset now)
    {
        var v = new Validator()
            .Required("returnedTo", input.ReturnedTo, 200)
            .Required("documentReference", input.DocumentReference, 128)
            .Required("reason", input.Reason, 2000);
        NotInFuture(v, "returnedOn", input.ReturnedOn, now);
        v.ThrowIfInvalid();
        EnsureHeld(asset, "return");

        return new AssetReturnedToOwner(asset.Id, asset.CaseNumber, input.ReturnedTo!.Trim(), input.ReturnedOn!.Value,
            input.DocumentReference!.Trim(), input.Reason!.Trim(), actor, now);
    }

    private static void ValidateDetails(Validator v, AssetType type, RegisterAssetRequest input)
    {
        object?[] details = [input.RealEstate, input.Vehicle, input.PreciousMetal, input.VirtualCurrency];
        string[] names = ["realEstate", "vehicle", "preciousMetal", "virtualCurrency"];
        var expected = type switch
        {
            AssetType.RealEstate => 0,
            AssetType.Vehicle => 1,
            AssetType.PreciousMetal => 2,
            AssetType.VirtualCurrency => 3,
            _ => -1,
        };
        for (var i = 0; i < details.Length; i++)
        {
            if (i == expected && details[i] is null) v.Add(names[i], $"is required for {type}.");
            if (i != expected && details[i] is not null) v.Add(names[i], $"must be empty for {type}.");
        }
        if (input.RealEstate is { } house && expected == 0)
            v.Required("realEstate.address", house.Address, 500).Optional("realEstate.titleNumber", house.TitleNumber, 128);
        if (input.Vehicle is { } car && expected == 1)
            v.Required("vehicle.registrationNumber", car.RegistrationNumber, 32).Optional("vehicle.vin", car.Vin, 32)
                .Optional("vehicle.makeAndModel", car.MakeAndModel, 200);
        if (input.PreciousMetal is { } metal && expected == 2)
        {
            v.Required("preciousMetal.metal", metal.Metal, 64).Optional("preciousMetal.purity", metal.Purity, 32);
            Quantity(v, "preciousMetal.weightGrams", metal.WeightGrams);
        }
        if (input.VirtualCurrency is { } coins && expected == 3)
        {
            v.Required("virtualCurrency.chain", coins.Chain, 64).Required("virtualCurrency.token", coins.Token, 64)
                .Required("virtualCurrency.address", coins.Address, 256);
            Quantity(v, "virtualCurrency.quantity", coins.Quantity);
        }
    }

    private static void ValidateThirdParty(Validator v, ThirdPartyAcquisition thirdParty)
    {
        v.Required("thirdParty.holder", thirdParty.Holder, 200);
        Money? price = thirdParty.PricePaid;
        if (price is null) v.Add("thirdParty.pricePaid", "is required (amount 0 when they paid nothing).");
        else
        {
            v.Currency("thirdParty.pricePaid.currency", price.Currency);
            if (price.Amount < 0m) v.Add("thirdParty.pricePaid.amount", "must not be negative.");
            else if (price.Amount > 0m) v.PositiveAmount("thirdParty.pricePaid.amount", price.Amount, price.Currency);
        }
        if (thirdParty.MarketValue is { } market)
        {
            v.Currency("thirdParty.marketValue.currency", market.Currency)
                .PositiveAmount("thirdParty.marketValue.amount", market.Amount, market.Currency);
            if (price is not null && market.Currency != price.Currency)
                v.Add("thirdParty.marketValue.currency", "must be the currency of the price paid.");
        }
        // Whether a price was fair can only be judged against the market value; it does not matter when other grounds apply.
        else if (price is { Amount: > 0m } && !thirdParty.KnewOfFraud && !thirdParty.ForIllegalDebt)
            v.Add("thirdParty.marketValue", "is required when a price was paid, to judge whether it was fair.");
    }

    private static void Quantity(Validator v, string field, decimal quantity)
    {
        if (quantity <= 0m) v.Add(field, "must be greater than zero.");
        else if (quantity > Validator.MaxAmount) v.Add(field, $"must not exceed {Validator.MaxAmount}.");
    }

    private static void NotInFuture(Validator v, string field, DateOnly? date, DateTimeOffset now)
    {
        // A day's grace: the date is local to wherever it happened, the clock is UTC.
        if (date is null) v.Add(field, "is required.");
        else if (date > DateOnly.FromDateTime(now.UtcDateTime).AddDays(1)) v.Add(field, "must not be in the future.");
    }

    private static void EnsureHeld(SeizedAsset asset, string what)
    {
        if (asset.Status != AssetStatus.Held)
            throw new DomainRuleViolationException("asset.not-held", $"Asset {asset.Id} is no longer held ({asset.Status}); nothing to {what}.");
    }
}
