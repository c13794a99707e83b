using AssetRecovery.BuildingBlocks;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Clients.Seizure;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Seizure;
using AssetRecovery.Seizure.Custody;
using AssetRecovery.Seizure.Domain;
using AssetRecovery.Seizure.Workflow.SeizureOfFrozenFunds;
using JasperFx.Events;
using Marten;

namespace AssetRecovery.Seizure.Features;

/// <summary>Builds the seizure service's read models from its snapshots, saga state and streams.</summary>
public static class SeizureViews
{
    public static FrozenFundsView ToView(FrozenFunds f) =>
        new(f.Id, f.CaseNumber, f.Frozen, f.AvailableToSeize, f.FrozenAt, f.FrozenAtExecution, f.Reserved, f.Seized, f.Released, f.EndReason);

    public static async Task<SeizureView> LoadSeizureAsync(IQuerySession session, Guid seizureId, CancellationToken ct)
    {
        var seizure = await session.LoadAsync<FrozenFundsSeizure>(seizureId, ct) ?? throw new ResourceNotFoundException("Seizure", seizureId.ToString());
        return ToView(seizure, await session.LoadAsync<FrozenFundsSeizureState>(seizureId, ct));
    }

    public static async Task<IReadOnlyList<SeizureView>> ListSeizuresAsync(IQuerySession session, string caseNumber, CancellationToken ct)
    {
        var seizures = await session.Query<FrozenFundsSeizure>().Where(s => s.CaseNumber == caseNumber).OrderBy(s => s.RequestedAt).ToListAsync(ct);
        var sagas = (await session.LoadManyAsync<FrozenFundsSeizureState>(ct, seizures.Select(s => s.Id))).ToDictionary(s => s.CorrelationId);
        return seizures.Select(s => ToView(s, sagas.GetValueOrDefault(s.Id))).ToList();
    }

    private static SeizureView ToView(FrozenFundsSeizure s, FrozenFundsSeizureState? saga) => new(
        s.Id, s.Version, s.CaseNumber, s.FreezeId, s.Amount, s.Status.ToString(), s.Direct, s.LegalDocumentReference, s.Reason,
        s.RequestedBy, s.RequestedAt, s.HandedOverBy, s.SeizedAt, s.RefusalRule, s.RefusalDetail, s.RefusedAt,
        saga is null ? null : new SeizureWorkflowView(saga.CurrentState, saga.HandOverRequestedAt, saga.UpdatedAt));

    public static async Task<AssetView> LoadAssetAsync(IQuerySession session, Guid assetId, CancellationToken ct) =>
        ToView(await session.LoadAsync<SeizedAsset>(assetId, ct) ?? throw new ResourceNotFoundException("Asset", assetId.ToString()));

    public static AssetView ToView(SeizedAsset a) => new(
        a.Id, a.Version, a.CaseNumber, a.Type, a.Description, a.RealEstate, a.Vehicle, a.PreciousMetal, a.VirtualCurrency,
        new AssetOwnerView(a.Owner.Name, a.Owner.IdentityNumber?.Masked),
        a.Documents, a.ThirdParty, a.Recoverability, a.Status.ToString(), a.CurrentValuation, a.Valuations, a.Disposal, a.Return,
        a.LegalDocumentReference, a.Reason, a.RegisteredBy, a.RegisteredAt);

    public static async Task<Page<AssetSummary>> PageAssetsAsync(IQueryable<SeizedAsset> query, PageRequest page, CancellationToken ct)
    {
        var total = await query.CountAsync(ct);
        var items = await query.Skip(page.Skip).Take(page.Size).ToListAsync(ct);
        return new Page<AssetSummary>(items.Select(a => new AssetSummary(a.Id, a.CaseNumber, a.Type, a.Description, a.Status.ToString(),
            a.Recoverability.Recoverable, a.CurrentValuation?.Value, a.RegisteredAt)).ToList(), page.Number, page.Size, total);
    }

    public static async Task<RecoveryPoolView> LoadPoolAsync(IQuerySession session, string caseNumber, CancellationToken ct)
    {
        var pool = await session.LoadAsync<RecoveryPool>(RecoveryPool.StreamIdFor(caseNumber), ct);
        return pool is null
            ? new RecoveryPoolView(caseNumber, [], [], [], 0)
            : new RecoveryPoolView(caseNumber, pool.Balances.ToMoney(), pool.Credited.ToMoney(), pool.Debited.ToMoney(), pool.Version);
    }

    /// <summary>Every movement of the pool, from its stream, with the balance of its currency after it; oldest first.</summary>
    public static async Task<Page<RecoveryPoolMovementView>> PagePoolMovementsAsync(IQuerySession session, string caseNumber, PageRequest page,
        CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(RecoveryPool.StreamIdFor(caseNumber), token: ct);
        var balances = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var movements = new List<RecoveryPoolMovementView>();
        foreach (var e in events)
        {
            if (Movement(e, balances) is { } movement) movements.Add(movement);
        }
        return new Page<RecoveryPoolMovementView>(movements.Skip(page.Skip).Take(page.Size).ToList(), page.Number, page.Size, movements.Count);
    }

    private static RecoveryPoolMovementView? Movement(IEvent e, Dictionary<string, decimal> balances)
    {
        switch (e.Data)
        {
            case RecoveryPoolCredited c:
                balances.Add(c.Amount);
                return new(e.Version, "Credit", c.Amount, After(balances, c.Amount.Currency), c.Source.ToString(), c.SourceId, null, c.Explanation, c.By, c.At);
            case RecoveryPoolDebited d:
                balances.Add(d.Amount with { Amount = -d.Amount.Amount });
                return new(e.Version, "Debit", d.Amount, After(balances, d.Amount.Currency), "RestitutionInstruction", null, d.InstructionId,
                    $"Paid out on restitution instruction {d.InstructionReference}: {d.Reason}", d.InstructedBy, d.At);
            case RecoveryPoolDebitRefused r:
                return new(e.Version, "DebitRefused", r.Amount, After(balances, r.Amount.Currency), "RestitutionInstruction", null, r.InstructionId,
                    $"Refused ({r.Rule}): {r.Detail}", r.InstructedBy, r.At);
            default:
                return null;
        }
    }

    private static Money After(Dictionary<string, decimal> balances, string currency) => new(balances.GetValueOrDefault(currency), currency);
}
