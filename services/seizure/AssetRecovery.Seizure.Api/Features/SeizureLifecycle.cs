using AssetRecovery.ServiceDefaults;
using AssetRecovery.BuildingBlocks;
using AssetRecovery.Clients.Seizure;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Contracts.Seizure;
using AssetRecovery.Seizure.Custody;
using AssetRecovery.Seizure.Domain;
using Marten;

namespace AssetRecovery.Seizure.Features;

/// <summary>
/// Carries out seizure commands on a session: loads what they decide on for writing, applies the rules, stages the
/// events. The caller commits (HTTP handlers with conflict retry, consumers through the inbox filter), so a seizure's
/// reservation and its stream, or a disposal and its pool credit, land together or not at all.
/// </summary>
public sealed class SeizureLifecycle(TimeProvider clock, IdNumberProtection idNumbers)
{
    /// <summary>Reserves the amount on the freeze's frozen funds (optimistic concurrency) and starts the seizure stream.</summary>
    public async Task<FrozenFundsSeizureRequested> RequestSeizureAsync(IDocumentSession session, Guid freezeId, SeizureInput input, Actor actor,
        CancellationToken ct)
    {
        var funds = await session.LoadAsync<FrozenFunds>(freezeId, ct) ?? throw new ResourceNotFoundException("Frozen funds of freeze", freezeId.ToString());
        var now = clock.GetUtcNow();
        var requested = SeizureDecisions.RequestSeizure(funds, Guid.CreateVersion7(), input, actor, now);
        funds.Reserve(requested.SeizureId, requested.Amount.Amount, now);
        session.Store(funds);
        session.Events.StartStream<FrozenFundsSeizure>(requested.SeizureId, requested);
        return requested;
    }

    /// <summary>
    /// The freeze service handed money over: it leaves the frozen funds, the seizure is complete, the pool is credited.
    /// A hand-over made directly at the freeze service (no seizure id) becomes a seizure of its own, id <paramref name="directSeizureId"/>.
    /// </summary>
    public async Task RecordHandOverAsync(IDocumentSession session, FreezeHandedOverToSeizure e, Guid directSeizureId, CancellationToken ct)
    {
        var funds = await session.LoadAsync<FrozenFunds>(e.FreezeId, ct)
                    ?? throw new InvalidOperationException($"Hand-over of freeze {e.FreezeId} before its execution reached seizure; retried.");
        var now = clock.GetUtcNow();
        var seizureId = e.SeizureId ?? directSeizureId;
        var seized = new FrozenFundsSeized(seizureId, e.CaseNumber, e.FreezeId, e.HandedOver, e.DocumentReference, e.Reason, e.HandedOverBy,
            e.HandedOverAt, now, Direct: e.SeizureId is null);
        if (e.SeizureId is { } id)
        {
            var stream = await session.Events.FetchForWriting<FrozenFundsSeizure>(id, ct);
            // Money handed over for a seizure this service does not know must not go unrecorded: fail, retry, then the error queue.
            var seizure = stream.Aggregate ?? throw new InvalidOperationException($"Freeze {e.FreezeId} handed money over for unknown seizure {id}.");
            if (seizure.Status != SeizureStatus.AwaitingHandOver) return; // already recorded
            stream.AppendOne(seized);
        }
        else session.Events.StartStream<FrozenFundsSeizure>(seizureId, seized);

        funds.HandedOver(e.SeizureId, e.HandedOver.Amount, e.Whole, now);
        session.Store(funds);
        await CreditPoolAsync(session, RecoveryPoolDecisions.Credit(e.CaseNumber, e.HandedOver, RecoveryPoolCreditSource.SeizedFrozenFunds,
            seizureId, $"Frozen funds of freeze {e.FreezeId} taken into custody (seizure {seizureId}) under {e.DocumentReference}: {e.Reason}",
            e.HandedOverBy, now), ct);
    }

    /// <summary>The freeze service refused: the seizure is refused and its reservation lifted.</summary>
    public async Task RecordHandOverRefusedAsync(IDocumentSession session, FrozenFundsHandOverRefused refusal, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<FrozenFundsSeizure>(refusal.SeizureId, ct);
        if (stream.Aggregate is not { Status: SeizureStatus.AwaitingHandOver } seizure) return;
        var now = clock.GetUtcNow();
        stream.AppendOne(new FrozenFundsSeizureRefused(seizure.Id, seizure.CaseNumber, seizure.FreezeId, seizure.Amount, refusal.Rule,
            refusal.Detail, refusal.RefusedAt));
        if (await session.LoadAsync<FrozenFunds>(seizure.FreezeId, ct) is { } funds)
        {
            funds.Lift(seizure.Id, now);
            session.Store(funds);
        }
    }

    /// <summary>Restitution's instruction: debited, refused (recorded on the pool), or nothing for a repeat.</summary>
    public async Task DebitPoolAsync(IDocumentSession session, DebitRecoveryPool instruction, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<RecoveryPool>(RecoveryPool.StreamIdFor(instruction.CaseNumber), ct);
        if (RecoveryPoolDecisions.Debit(stream.Aggregate, instruction, clock.GetUtcNow()) is { } outcome) stream.AppendOne(outcome);
    }

    public AssetRegistered RegisterAsset(IDocumentSession session, RegisterAssetRequest request, Actor actor)
    {
        var registered = AssetDecisions.Register(Guid.CreateVersion7(), request, idNumbers.Protect, actor, clock.GetUtcNow());
        session.Events.StartStream<SeizedAsset>(registered.AssetId, registered);
        return registered;
    }

    public Task ValueAssetAsync(IDocumentSession session, Guid assetId, RecordValuationRequest request, Actor actor, CancellationToken ct) =>
        ChangeAssetAsync(session, assetId, (asset, now) => AssetDecisions.Value(asset, request, actor, now), ct);

    public Task ReturnAssetAsync(IDocumentSession session, Guid assetId, ReturnAssetRequest request, Actor actor, CancellationToken ct) =>
        ChangeAssetAsync(session, assetId, (asset, now) => AssetDecisions.ReturnToOwner(asset, request, actor, now), ct);

    /// <summary>The disposal and the credit of its net proceeds to the case's pool, in one transaction.</summary>
    public Task DisposeAssetAsync(IDocumentSession session, Guid assetId, RecordDisposalRequest request, Actor actor, CancellationToken ct) =>
        ChangeAssetAsync(session, assetId, (asset, now) => AssetDecisions.Dispose(asset, request, actor, now), ct, async (disposed, now) =>
        {
            if (disposed.NetProceeds.Amount == 0m) return;
            await CreditPoolAsync(session, RecoveryPoolDecisions.Credit(disposed.CaseNumber, disposed.NetProceeds,
                RecoveryPoolCreditSource.DisposalProceeds, disposed.AssetId,
                $"Net proceeds of the {disposed.Method.ToString().ToLowerInvariant()} of asset {disposed.AssetId} on {disposed.DisposedOn:yyyy-MM-dd}: " +
                $"price {disposed.Price.Amount} less fees {disposed.Fees.Amount} {disposed.Price.Currency}, under {disposed.DocumentReference}",
                disposed.RecordedBy, now), ct);
        });

    private async Task ChangeAssetAsync<TEvent>(IDocumentSession session, Guid assetId, Func<SeizedAsset, DateTimeOffset, TEvent> decide,
        CancellationToken ct, Func<TEvent, DateTimeOffset, Task>? then = null) where TEvent : notnull
    {
        var stream = await session.Events.FetchForWriting<SeizedAsset>(assetId, ct);
        if (stream.Aggregate is not { } asset) throw new ResourceNotFoundException("Asset", assetId.ToString());
        var now = clock.GetUtcNow();
        var change = decide(asset, now);
        stream.AppendOne(change);
        if (then is not null) await then(change, now);
    }

    private static async Task CreditPoolAsync(IDocumentSession session, RecoveryPoolCredited credit, CancellationToken ct)
    {
        var pool = await session.Events.FetchForWriting<RecoveryPool>(RecoveryPool.StreamIdFor(credit.CaseNumber), ct);
        pool.AppendOne(credit);
    }
}
