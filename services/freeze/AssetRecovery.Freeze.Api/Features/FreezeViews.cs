using AssetRecovery.BuildingBlocks;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Freeze.Workflow;
using JasperFx.Events;
using Marten;

namespace AssetRecovery.Freeze.Features;

/// <summary>Builds the read model of one freeze: snapshot, saga state and the event history.</summary>
public static class FreezeViews
{
    /// <summary>Changes the system made by itself (deadlines), recorded as such.</summary>
    public static readonly Actor FreezeWorkflow = new("system:freeze-workflow", "Freeze workflow", "System");

    public static async Task<FreezeView> LoadAsync(IQuerySession session, Guid freezeId, CancellationToken cancellationToken)
    {
        var freeze = await session.LoadAsync<Domain.Freeze>(freezeId, cancellationToken)
                     ?? throw new ResourceNotFoundException("Freeze", freezeId.ToString());
        var events = await session.Events.FetchStreamAsync(freezeId, token: cancellationToken);
        var saga = await session.LoadAsync<FreezeSagaState>(freezeId, cancellationToken);
        return new FreezeView(
            freeze.Id, freeze.Version, freeze.CaseNumber, freeze.Kind, freeze.BankCode, freeze.AccountNumber, freeze.AccountHolderName,
            freeze.Currency, freeze.RequestedAmount, freeze.LegalDocumentReference, freeze.Reason, freeze.Status.ToString(),
            freeze.FrozenAmount, freeze.BalanceAtExecution, freeze.ExecutedAt, freeze.RejectionReasonCode,
            freeze.AcknowledgementDueAt, freeze.AcknowledgementOverdue, freeze.RequestedBy, freeze.RequestedAt,
            saga is null ? null : new FreezeWorkflowView(saga.CurrentState, saga.AcknowledgementDueAt, saga.AcknowledgementTimeoutTokenId is not null),
            events.Select(ToHistory).ToList());
    }

    private static FreezeHistoryEntry ToHistory(IEvent e)
    {
        var (by, summary) = e.Data switch
        {
            FreezeRequested r => (r.RequestedBy,
                $"{r.Kind} of {(r.RequestedAmount is { } a ? $"{a} {r.Currency}" : $"the whole {r.Currency} balance")} requested " +
                $"on account {r.AccountNumber} at bank {r.BankCode} under {r.LegalDocumentReference}: {r.Reason}"),
            FreezeExecutedByBank x => (x.RecordedBy,
                $"Bank executed: {x.Outcome}, {x.FrozenAmount.Amount} {x.FrozenAmount.Currency} frozen" +
                (x.BalanceAtExecution is { } b ? $" (balance {b.Amount} {b.Currency})" : "")),
            FreezeRejectedByBank x => (x.RecordedBy, $"Bank rejected: {x.ReasonCode}" + (x.Detail is null ? "" : $" ({x.Detail})")),
            FreezeAcknowledgementOverdue x => (FreezeWorkflow, $"Bank acknowledgement overdue since {x.DueAt:u}; escalated"),
            _ => ((Actor?)null, e.EventTypeName),
        };
        return new FreezeHistoryEntry(e.Version, e.Data.GetType().Name, e.Timestamp, by, summary);
    }
}
