using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Restitution;

namespace AssetRecovery.Restitution.Orders;

/// <summary>
/// The case's restitution order: its current terms and version (one stream per case, so one order per case). The terms
/// are kept without their victims (as the version's event states them), which are <see cref="OrderVictimRows"/>;
/// documents written before victims were listed apart still carry them.
/// </summary>
public sealed record RestitutionOrder
{
    public Guid Id { get; init; }
    public int Version { get; init; }
    public required string CaseNumber { get; init; }
    public int OrderVersion { get; init; }
    public required RestitutionOrderTerms Terms { get; init; }
    public required Actor RecordedBy { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public static Guid StreamIdFor(string caseNumber) => NameBasedIds.For($"assetrecovery/restitution-order/{caseNumber}");

    public static RestitutionOrder Create(RestitutionOrderRecorded e) => new()
    {
        Id = e.OrderId, CaseNumber = e.CaseNumber, OrderVersion = 1, Terms = e.Terms, RecordedBy = e.RecordedBy, RecordedAt = e.RecordedAt,
        UpdatedAt = e.RecordedAt,
    };

    public RestitutionOrder Apply(RestitutionOrderAmended e) => this with { OrderVersion = e.OrderVersion, Terms = e.Terms, UpdatedAt = e.AmendedAt };
}
