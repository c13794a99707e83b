namespace AssetRecovery.Contracts.Seizure;

/// <summary>Kinds of non-cash assets seized for a case.</summary>
public enum AssetType
{
    RealEstate,
    Vehicle,
    PreciousMetal,
    VirtualCurrency,
    Other,
}

public sealed record RealEstateDetails(string Address, string? TitleNumber);

public sealed record VehicleDetails(string RegistrationNumber, string? Vin, string? MakeAndModel);

/// <summary>Metal (gold, silver...), weight in grams and purity as stated (e.g. "999.9").</summary>
public sealed record PreciousMetalDetails(string Metal, decimal WeightGrams, string? Purity);

/// <summary>A quantity of a token on a chain at an address; valued and sold in a fiat currency.</summary>
public sealed record VirtualCurrencyHolding(string Chain, string Token, string Address, decimal Quantity);

public sealed record AssetOwner(string Name, ProtectedIdNumber? IdentityNumber);

/// <summary>
/// How a third party came to hold the asset or the money. PricePaid 0 means they paid nothing; MarketValue is what it
/// was worth when they acquired it (needed when they paid something).
/// </summary>
public sealed record ThirdPartyAcquisition(string Holder, bool KnewOfFraud, Money PricePaid, Money? MarketValue, bool ForIllegalDebt);

public enum RecoverabilityGround
{
    /// <summary>No third party: the asset is the suspect's own.</summary>
    NoThirdParty,
    KnewOfFraud,
    PaidNothing,
    FarBelowMarketValue,
    IllegalDebt,
    /// <summary>Did not know, paid a fair price: keeps it.</summary>
    GoodFaithAtFairValue,
}

/// <summary>Whether the asset can be recovered from whoever holds it, and on what grounds.</summary>
public sealed record RecoverabilityDetermination(bool Recoverable, IReadOnlyList<RecoverabilityGround> Grounds, string Explanation);

/// <summary>A non-cash asset taken into custody for a case. Exactly one of the details matches the type (none for Other).</summary>
public sealed record AssetRegistered(
    Guid AssetId,
    string CaseNumber,
    AssetType Type,
    string Description,
    RealEstateDetails? RealEstate,
    VehicleDetails? Vehicle,
    PreciousMetalDetails? PreciousMetal,
    VirtualCurrencyHolding? VirtualCurrency,
    AssetOwner Owner,
    IReadOnlyList<string> Documents,
    ThirdPartyAcquisition? ThirdParty,
    RecoverabilityDetermination Recoverability,
    string LegalDocumentReference,
    string Reason,
    Actor RegisteredBy,
    DateTimeOffset RegisteredAt) : ICaseEvent;

public enum ValuationMethod
{
    MarketComparison,
    ProfessionalAppraisal,
    /// <summary>Quoted market price (exchange rate of a token, spot price of a metal).</summary>
    MarketPrice,
    AuctionReserve,
    Other,
}

/// <summary>A valuation of an asset; every valuation is kept, the latest by date is the current one.</summary>
public sealed record AssetValued(
    Guid AssetId,
    string CaseNumber,
    Money Value,
    DateOnly ValuedOn,
    ValuationMethod Method,
    string? Valuer,
    string DocumentReference,
    Actor RecordedBy,
    DateTimeOffset RecordedAt) : ICaseEvent;

public enum DisposalMethod
{
    Auction,
    Sale,
}

/// <summary>The asset was sold or auctioned; NetProceeds (price less fees) went into the case's recovery pool.</summary>
public sealed record AssetDisposed(
    Guid AssetId,
    string CaseNumber,
    DisposalMethod Method,
    Money Price,
    Money Fees,
    Money NetProceeds,
    DateOnly DisposedOn,
    string? Counterparty,
    string DocumentReference,
    string Reason,
    Actor RecordedBy,
    DateTimeOffset RecordedAt) : ICaseEvent;

/// <summary>The asset itself was given back to its owner (return in kind); no money enters the pool.</summary>
public sealed record AssetReturnedToOwner(
    Guid AssetId,
    string CaseNumber,
    string ReturnedTo,
    DateOnly ReturnedOn,
    string DocumentReference,
    string Reason,
    Actor RecordedBy,
    DateTimeOffset RecordedAt) : ICaseEvent;
