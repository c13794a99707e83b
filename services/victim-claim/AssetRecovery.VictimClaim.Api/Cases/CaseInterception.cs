using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts.Freeze;
using Marten;
using MassTransit;

namespace AssetRecovery.VictimClaim.Cases;

/// <summary>What has been intercepted for a case so far, as victims' claims will show it ("frozen").</summary>
public sealed class CaseInterception
{
    public string Id { get; set; } = "";
    public int AccountsFrozen { get; set; }
    public Dictionary<string, decimal> Frozen { get; set; } = new(StringComparer.Ordinal);
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// Adds each bank freeze to its case's totals. Not naturally idempotent (it adds), so it relies on the inbox filter:
/// a redelivered event is dropped by its message id, and the staged change commits with the inbox record.
/// </summary>
public sealed class FreezeExecutedConsumer(IDocumentSession session) : IConsumer<FreezeExecutedByBank>
{
    public async Task Consume(ConsumeContext<FreezeExecutedByBank> context)
    {
        var e = context.Message;
        var interception = await session.LoadAsync<CaseInterception>(e.CaseNumber, context.CancellationToken)
                           ?? new CaseInterception { Id = e.CaseNumber };
        interception.AccountsFrozen++;
        interception.Frozen.Add(e.FrozenAmount);
        interception.UpdatedAt = e.RecordedAt;
        session.Store(interception);
    }
}
