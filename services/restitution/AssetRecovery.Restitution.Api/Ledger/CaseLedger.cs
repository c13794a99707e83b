using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts.Freeze;
using JasperFx.Events;
using Marten.Events.Projections;

namespace AssetRecovery.Restitution.Ledger;

/// <summary>
/// Money of one case from interception onwards, per currency. Built from every service's events in the shared store
/// (so far the freeze service's); the conservation checks grow with it.
/// </summary>
public sealed class CaseLedger
{
    public string Id { get; set; } = "";
    public int FreezesRequested { get; set; }
    public int FreezesRejected { get; set; }
    public int AcknowledgementsOverdue { get; set; }
    /// <summary>Frozen at banks as they reported it, per currency.</summary>
    public Dictionary<string, decimal> Frozen { get; set; } = new(StringComparer.Ordinal);
    public long LastSequence { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed partial class CaseLedgerProjection : MultiStreamProjection<CaseLedger, string>
{
    public CaseLedgerProjection()
    {
        Identity<FreezeRequested>(e => e.CaseNumber);
        Identity<FreezeExecutedByBank>(e => e.CaseNumber);
        Identity<FreezeRejectedByBank>(e => e.CaseNumber);
        Identity<FreezeAcknowledgementOverdue>(e => e.CaseNumber);
    }

    public void Apply(IEvent<FreezeRequested> e, CaseLedger ledger)
    {
        ledger.FreezesRequested++;
        Touch(ledger, e);
    }

    public void Apply(IEvent<FreezeExecutedByBank> e, CaseLedger ledger)
    {
        ledger.Frozen.Add(e.Data.FrozenAmount);
        Touch(ledger, e);
    }

    public void Apply(IEvent<FreezeRejectedByBank> e, CaseLedger ledger)
    {
        ledger.FreezesRejected++;
        Touch(ledger, e);
    }

    public void Apply(IEvent<FreezeAcknowledgementOverdue> e, CaseLedger ledger)
    {
        ledger.AcknowledgementsOverdue++;
        Touch(ledger, e);
    }

    private static void Touch(CaseLedger ledger, IEvent e)
    {
        ledger.LastSequence = Math.Max(ledger.LastSequence, e.Sequence);
        ledger.UpdatedAt = e.Timestamp;
    }
}
