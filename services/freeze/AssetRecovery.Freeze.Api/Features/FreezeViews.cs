using AssetRecovery.BuildingBlocks;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Freeze.Domain;
using AssetRecovery.Freeze.Workflow;
using JasperFx.Events;
using Marten;

namespace AssetRecovery.Freeze.Features;

/// <summary>Builds the read models: one freeze (snapshot, saga state, history), lists, and an account's holds.</summary>
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
            freeze.Currency, freeze.RequestedAmount, freeze.AssetType, freeze.Term, freeze.MajorCase, freeze.SeniorApproval,
            freeze.LegalDocumentReference, freeze.Reason, freeze.Status.ToString(), freeze.FrozenAmount, freeze.BalanceAtExecution,
            freeze.Released, freeze.HandedOverToSeizure, freeze.ExecutedAt, freeze.ExpiresAt, freeze.Renewals, freeze.EndedAt, freeze.RejectionReasonCode,
            freeze.AcknowledgementDueAt, freeze.AcknowledgementOverdue, freeze.ConvertsStopPaymentId, freeze.ConvertedToFreezeId,
            freeze.RequestedBy, freeze.RequestedAt,
            saga is null ? null : new FreezeWorkflowView(saga.CurrentState, saga.AcknowledgementDueAt, saga.AcknowledgementTimeoutTokenId is not null,
                saga.ExpiresAt, saga.ExpiryReminderTokenId is not null, saga.TermEndTokenId is not null),
            events.Select(ToHistory).ToList());
    }

    public static async Task<Page<FreezeSummary>> PageAsync(IQueryable<Domain.Freeze> query, PageRequest page, CancellationToken cancellationToken)
    {
        var total = await query.CountAsync(cancellationToken);
        var items = await query.Skip(page.Skip).Take(page.Size).ToListAsync(cancellationToken);
        return new Page<FreezeSummary>(items.Select(ToSummary).ToList(), page.Number, page.Size, total);
    }

    public static async Task<AccountHoldsView> LoadAccountAsync(IQuerySession session, string bankCode, string accountNumber,
        CancellationToken cancellationToken)
    {
        var account = await session.LoadAsync<AccountHolds>(AccountHolds.StreamIdFor(bankCode, accountNumber), cancellationToken)
                      ?? throw new ResourceNotFoundException("Account", $"{bankCode}/{accountNumber}");
        var freezes = (await session.LoadManyAsync<Domain.Freeze>(cancellationToken, account.Holds.Select(h => h.FreezeId)))
            .ToDictionary(f => f.Id);
        return new AccountHoldsView(account.BankCode, account.AccountNumber, account.Holds.Select((h, i) => new AccountHoldView(
            i + 1, h.FreezeId, h.CaseNumber, h.Kind, h.State.ToString(), h.EndReason, h.RegisteredAt,
            freezes.TryGetValue(h.FreezeId, out var f) ? ToSummary(f) : null)).ToList());
    }

    private static FreezeSummary ToSummary(Domain.Freeze f) => new(
        f.Id, f.CaseNumber, f.Kind, f.BankCode, f.AccountNumber, f.Status.ToString(), f.Currency, f.RequestedAmount, f.FrozenAmount,
        f.AcknowledgementDueAt, f.AcknowledgementOverdue, f.ExpiresAt, f.RequestedAt);

    private static FreezeHistoryEntry ToHistory(IEvent e)
    {
        var (by, summary) = e.Data switch
        {
            FreezeRequested r => (r.RequestedBy,
                $"{r.Kind} of {(r.RequestedAmount is { } a ? $"{a} {r.Currency}" : $"the whole {r.Currency} balance")} requested " +
                $"on account {r.AccountNumber} at bank {r.BankCode} under {r.LegalDocumentReference}: {r.Reason}" +
                (r.SeniorApproval is { } s ? $" (major case, approved by {s.ApprovedBy}, {s.ApprovalReference})" : "") +
                (r.Queued ? "; queued behind another case's hold" : "") +
                (r.ConvertsStopPaymentId is { } stop ? $"; replaces stop-payment {stop}" : "")),
            FreezeActivated x => (FreezeWorkflow, $"Activated: the hold before it ({x.PreviousHoldId}) ended"),
            FreezeExecutedByBank x => (x.RecordedBy,
                $"Bank executed: {x.Outcome}, {x.FrozenAmount.Amount} {x.FrozenAmount.Currency} frozen" +
                (x.BalanceAtExecution is { } b ? $" (balance {b.Amount} {b.Currency})" : "") +
                (x.ExpiresAt is { } expires ? $", until {expires:u}" : "")),
            FreezeRejectedByBank x => (x.RecordedBy, $"Bank rejected: {x.ReasonCode}" + (x.Detail is null ? "" : $" ({x.Detail})")),
            FreezeAcknowledgementOverdue x => (FreezeWorkflow, $"Bank acknowledgement overdue since {x.DueAt:u}; escalated"),
            FreezeRenewed x => (x.RenewedBy, $"Renewed under {x.LegalDocumentReference} until {x.NewExpiresAt:u} (was {x.PreviousExpiresAt:u}): {x.Reason}"),
            FreezeExpiryReminderIssued x => (FreezeWorkflow, $"Expires at {x.ExpiresAt:u}: renew it or let it lapse"),
            FreezeLapsed x => (FreezeWorkflow, $"Lapsed at {x.ExpiredAt:u} without renewal"),
            FreezeReleased x => (x.ReleasedBy,
                $"{(x.Whole ? "Released in whole" : "Released in part")}: {x.Released.Amount} {x.Released.Currency}, " +
                $"{x.Remaining.Amount} {x.Remaining.Currency} still frozen, under {x.DocumentReference}: {x.Reason}"),
            FreezeHandedOverToSeizure x => (x.HandedOverBy,
                $"{(x.Whole ? "Handed over in whole" : "Handed over in part")} to seizure{(x.SeizureId is { } seizure ? $" {seizure}" : "")}: {x.HandedOver.Amount} {x.HandedOver.Currency}, " +
                $"{x.Remaining.Amount} {x.Remaining.Currency} still frozen, under {x.DocumentReference}: {x.Reason}"),
            StopPaymentConverted x => (x.ConvertedBy, $"Turned into formal freeze {x.FormalFreezeId}"),
            _ => ((Actor?)null, e.EventTypeName),
        };
        return new FreezeHistoryEntry(e.Version, e.Data.GetType().Name, e.Timestamp, by, summary);
    }
}
