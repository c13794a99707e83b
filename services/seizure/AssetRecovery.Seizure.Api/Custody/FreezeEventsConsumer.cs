using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Seizure.Features;
using Marten;
using MassTransit;

namespace AssetRecovery.Seizure.Custody;

/// <summary>
/// Keeps seizure's view of frozen money from the freeze service's relayed events and takes handed-over money into
/// custody. What is available to seize drops on releases, lapses, conversions and hand-overs. An event about a freeze
/// whose execution has not been seen yet fails and is retried until it has. Staged only: the inbox filter commits.
/// </summary>
public sealed class FreezeEventsConsumer(IDocumentSession session, SeizureLifecycle lifecycle, TimeProvider clock) :
    IConsumer<FreezeExecutedByBank>, IConsumer<FreezeReleased>, IConsumer<FreezeLapsed>, IConsumer<StopPaymentConverted>,
    IConsumer<FreezeHandedOverToSeizure>, IConsumer<FrozenFundsHandOverRefused>
{
    public async Task Consume(ConsumeContext<FreezeExecutedByBank> context)
    {
        var e = context.Message;
        if (await session.LoadAsync<FrozenFunds>(e.FreezeId, context.CancellationToken) is not null) return;
        session.Insert(FrozenFunds.From(e));
    }

    public Task Consume(ConsumeContext<FreezeReleased> context) =>
        ChangeAsync(context.Message.FreezeId, f => f.Freed(context.Message.Released.Amount, context.Message.Whole ? "Released" : null, clock.GetUtcNow()),
            context.CancellationToken);

    public Task Consume(ConsumeContext<FreezeLapsed> context) =>
        ChangeAsync(context.Message.FreezeId, f => f.Freed(context.Message.FrozenAmount?.Amount ?? f.Frozen.Amount, "Lapsed", clock.GetUtcNow()),
            context.CancellationToken);

    /// <summary>A stop-payment replaced by a formal freeze: its money is held (and seized) under the formal freeze from now on.</summary>
    public Task Consume(ConsumeContext<StopPaymentConverted> context) =>
        ChangeAsync(context.Message.FreezeId, f => f.Freed(f.Frozen.Amount, "Converted", clock.GetUtcNow()), context.CancellationToken,
            missingIsFine: true);

    public Task Consume(ConsumeContext<FreezeHandedOverToSeizure> context) =>
        lifecycle.RecordHandOverAsync(session, context.Message,
            context.MessageId ?? throw new InvalidOperationException("A relayed event always carries its event id as message id."),
            context.CancellationToken);

    public Task Consume(ConsumeContext<FrozenFundsHandOverRefused> context) =>
        lifecycle.RecordHandOverRefusedAsync(session, context.Message, context.CancellationToken);

    private async Task ChangeAsync(Guid freezeId, Action<FrozenFunds> change, CancellationToken ct, bool missingIsFine = false)
    {
        var funds = await session.LoadAsync<FrozenFunds>(freezeId, ct);
        if (funds is null)
        {
            // A stop-payment may be converted before the bank ever executed it: then there is nothing to end.
            if (missingIsFine) return;
            throw new InvalidOperationException($"Freeze {freezeId} changed before its execution reached seizure; retried.");
        }
        change(funds);
        session.Store(funds);
    }
}
