using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;
using Marten;
using MassTransit;

namespace AssetRecovery.Seizure.Custody;

/// <summary>Money a bank froze for a case, as seizure sees it: what is still available to be taken into custody.</summary>
public sealed class FrozenFunds
{
    public Guid Id { get; set; }
    public string CaseNumber { get; set; } = "";
    public Money Frozen { get; set; } = new(0m, "");
    public Money AvailableToSeize { get; set; } = new(0m, "");
    public DateTimeOffset FrozenAt { get; set; }
}

/// <summary>Learns of frozen money from the freeze service's relayed events. Staged only: the inbox filter commits.</summary>
public sealed class FreezeExecutedConsumer(IDocumentSession session) : IConsumer<FreezeExecutedByBank>
{
    public async Task Consume(ConsumeContext<FreezeExecutedByBank> context)
    {
        var e = context.Message;
        if (await session.LoadAsync<FrozenFunds>(e.FreezeId, context.CancellationToken) is not null) return;
        session.Insert(new FrozenFunds
        {
            Id = e.FreezeId, CaseNumber = e.CaseNumber, Frozen = e.FrozenAmount, AvailableToSeize = e.FrozenAmount, FrozenAt = e.ExecutedAt,
        });
    }
}
