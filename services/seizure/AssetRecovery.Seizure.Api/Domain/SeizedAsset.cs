using System.Collections.Immutable;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Seizure;

namespace AssetRecovery.Seizure.Domain;

public enum AssetStatus
{
    /// <summary>In custody.</summary>
    Held,
    /// <summary>Sold or auctioned; the net proceeds are in the recovery pool.</summary>
    Disposed,
    /// <summary>Given back in kind to its owner.</summary>
    ReturnedToOwner,
}

/// <summary>A non-cash asset in custody: current state of its stream (inline snapshot).</summary>
public sealed record SeizedAsset
{
    public Guid Id { get; init; }
    public int Version { get; init; }
    public required string CaseNumber { get; init; }
    public AssetType Type { get; init; }
    public required string Description { get; init; }
    public RealEstateDetails? RealEstate { get; init; }
    public VehicleDetails? Vehicle { get; init; }
    public PreciousMetalDetails? PreciousMetal { get; init; }
    public VirtualCurrencyHolding? VirtualCurrency { get; init; }
    public required AssetOwner Owner { get; init; }
    public ImmutableList<string> Documents { get; init; } = [];
    public ThirdPartyAcquisition? ThirdParty { get; init; }
    public required RecoverabilityDetermination Recoverability { get; init; }
    public required string LegalDocumentReference { get; init; }
    public required string Reason { get; init; }
    public required Actor RegisteredBy { get; init; }
    public DateTimeOffset RegisteredAt { get; init; }
    public AssetStatus Status { get; init; }
    /// <summary>Every valuation, in the order recorded.</summary>
    public ImmutableList<AssetValued> Valuations { get; init; } = [];
    /// <summary>The valuation with the latest date (the later recorded one on a tie).</summary>
    public AssetValued? CurrentValuation { get; init; }
    public AssetDisposed? Disposal { get; init; }
    public AssetReturnedToOwner? Return { get; init; }

    public static SeizedAsset Create(AssetRegistered e) => new()
    {
        Id = e.AssetId,
        CaseNumber = e.CaseNumber,
        Type = e.Type,
        Description = e.Description,
        RealEstate = e.RealEstate,
        Vehicle = e.Vehicle,
        PreciousMetal = e.PreciousMetal,
        VirtualCurrency = e.VirtualCurrency,
        Owner = e.Owner,
        Documents = [.. e.Documents],
        ThirdParty = e.ThirdParty,
        Recoverability = e.Recoverability,
        LegalDocumentReference = e.LegalDocumentReference,
        Reason = e.Reason,
        RegisteredBy = e.RegisteredBy,
        RegisteredAt = e.RegisteredAt,
        Status = AssetStatus.Held,
    };

    public SeizedAsset Apply(AssetValued e) => this with
    {
        Valuations = Valuations.Add(e),
        CurrentValuation = CurrentValuation is null || e.ValuedOn >= CurrentValuation.ValuedOn ? e : CurrentValuation,
    };

    public SeizedAsset Apply(AssetDisposed e) => this with { Status = AssetStatus.Disposed, Disposal = e };

    public SeizedAsset Apply(AssetReturnedToOwner e) => this with { Status = AssetStatus.ReturnedToOwner, Return = e };
}
