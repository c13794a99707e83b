using System.Security.Claims;
using AssetRecovery.Clients.VictimClaim;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.VictimClaim;
using AssetRecovery.ServiceDefaults;
using AssetRecovery.VictimClaim.Cases;
using AssetRecovery.VictimClaim.Domain;
using AssetRecovery.VictimClaim.MoneyTrail;
using JasperFx.Events;
using Marten;
using Claim = AssetRecovery.VictimClaim.Domain.Claim;

namespace AssetRecovery.VictimClaim.Features;

/// <summary>Claims as the API shows them: the snapshot, its timeline from the claim's events, and the money trail.</summary>
public static class ClaimViews
{
    public static async Task<ClaimView> LoadAsync(IQuerySession session, Claim claim, ClaimsPrincipal viewer, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(claim.Id, token: ct);
        var figures = await CaseClaims.FiguresAsync(session, claim.CaseConfirmed ? claim.CaseNumber : null, ct, forClaims: [claim.Id]);
        var viewerIsVictim = viewer.FindFirstValue(JwtClaims.Subject) == claim.VictimSubject;
        return new ClaimView(
            claim.Id, claim.Reference, claim.Status.ToString(), claim.FullName, claim.IdNumber.Masked, claim.Contact.Email, claim.Contact.Phone,
            claim.Payments.Select(p => new LostPaymentView(p.PaidAt, p.Amount, p.FromAccount, p.ToAccount, p.Reference)).ToList(),
            claim.ClaimedLoss,
            new ReturnAccountView(claim.ReturnAccount.BankName, claim.ReturnAccount.AccountNumber, claim.ReturnAccount.AccountHolderName),
            claim.CaseNumber, claim.CaseConfirmed, claim.TraceVictimId, claim.VerifiedLoss, claim.OpenQuestion, claim.DenialReason,
            claim.Status == ClaimStatus.Denied && !claim.ReconsiderationUsed,
            claim.FiledAt, claim.UpdatedAt,
            MoneyTrails.Compute(claim, figures),
            events.Select(e => ToTimeline(e, viewerIsVictim)).ToList());
    }

    public static ClaimSummary ToSummary(Claim c) =>
        new(c.Id, c.Reference, c.Status.ToString(), c.CaseNumber, c.ClaimedLoss, c.VerifiedLoss, c.FiledAt, c.UpdatedAt);

    /// <summary>Victims read who acted as "you" or by role; officers' names are for staff only.</summary>
    private static ClaimTimelineEntry ToTimeline(IEvent e, bool viewerIsVictim)
    {
        var (actor, summary) = e.Data switch
        {
            ClaimFiled x => (x.FiledBy, $"Claim {x.Reference} filed: {x.Payments.Count} payment(s), {Amount(x.ClaimedLoss)} lost" +
                                        (x.CaseNumber is null ? "" : $", case {x.CaseNumber} given")),
            ClaimLinkedToCase x => (x.LinkedBy, $"Linked to case {x.CaseNumber}" + (x.TraceVictimId is null ? "" : $" as victim {x.TraceVictimId} in its bank records")),
            ClaimInformationRequested x => (x.RequestedBy, $"More information asked: {x.Question}"),
            ClaimInformationSupplied x => (x.SuppliedBy, $"Information supplied: {x.Answer}" +
                                                          (x.AddedPayments.Count == 0 ? "" : $" ({x.AddedPayments.Count} payment(s) added; claimed {Amount(x.ClaimedLoss)})")),
            ClaimApproved x => (x.ApprovedBy, $"Approved: verified loss {Amount(x.VerifiedLoss)}. {x.Reason}"),
            ClaimDenied x => (x.DeniedBy, $"Denied: {x.Reason}"),
            ClaimReconsiderationRequested x => (x.RequestedBy, $"Reconsideration asked: {x.Grounds}"),
            ClaimReturnAccountChanged x => (x.ChangedBy, $"Return account changed to {x.ReturnAccount.BankName} {x.ReturnAccount.AccountNumber}"),
            _ => ((Actor?)null, e.EventTypeName),
        };
        var by = actor is null ? "System"
            : actor.Role == Roles.Victim ? (viewerIsVictim ? "You" : "Victim")
            : viewerIsVictim ? actor.Role
            : $"{actor.Name} ({actor.Role})";
        return new ClaimTimelineEntry(e.Version, e.Data.GetType().Name, e.Timestamp, by, summary);
    }

    private static string Amount(Money money) => $"{money.Amount} {money.Currency}";
}
