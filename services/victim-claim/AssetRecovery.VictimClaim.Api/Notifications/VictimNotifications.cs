using System.Globalization;
using AssetRecovery.BuildingBlocks;
using AssetRecovery.Clients.VictimClaim;
using AssetRecovery.Contracts.VictimClaim;
using AssetRecovery.VictimClaim.Domain;
using Marten;

namespace AssetRecovery.VictimClaim.Notifications;

/// <summary>
/// A message for a victim about their claim. Written in the same transaction as the change it reports, then sent by
/// <see cref="NotificationDispatcher"/> through the configured channel (at least once) and kept for the portal.
/// </summary>
public sealed class VictimNotification
{
    public Guid Id { get; set; }
    public Guid ClaimId { get; set; }
    public string VictimSubject { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Message { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? Channel { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}

/// <summary>The figures of a claim's money trail the victim was last told about, so only changes are reported.</summary>
public sealed class NotifiedMoneyTrail
{
    public Guid Id { get; set; }
    public decimal Traced { get; set; }
    public decimal Frozen { get; set; }
    public decimal Ordered { get; set; }
    public decimal Paid { get; set; }
}

/// <summary>Stages the notifications a change leaves for the victim; the caller commits them with the change.</summary>
public static class ClaimNotifications
{
    public static void ForClaimEvent(IDocumentSession session, Claim claim, object change, DateTimeOffset now)
    {
        var (kind, message) = change switch
        {
            ClaimFiled e => ("ClaimFiled", $"We received your claim {e.Reference} for {e.ClaimedLoss.Amount} {e.ClaimedLoss.Currency}."),
            ClaimLinkedToCase e => ("ClaimLinkedToCase", $"Your claim {claim.Reference} is now part of police case {e.CaseNumber}."),
            ClaimInformationRequested e => ("InformationRequested", $"The investigator needs more information on claim {claim.Reference}: {e.Question}"),
            ClaimInformationSupplied => ("InformationSupplied", $"Thank you: your answer on claim {claim.Reference} is with the investigator."),
            ClaimApproved e => ("ClaimApproved", $"Your claim {claim.Reference} was approved: verified loss {e.VerifiedLoss.Amount} {e.VerifiedLoss.Currency}."),
            ClaimDenied e => ("ClaimDenied", $"Your claim {claim.Reference} was denied: {e.Reason}. You may ask once for reconsideration."),
            ClaimReconsiderationRequested => ("ReconsiderationRequested", $"Your request to reconsider claim {claim.Reference} is with the investigator."),
            ClaimReturnAccountChanged e => ("ReturnAccountChanged",
                $"Money for claim {claim.Reference} will now be returned to the account ending {e.ReturnAccount.AccountNumber[^Math.Min(4, e.ReturnAccount.AccountNumber.Length)..]} at {e.ReturnAccount.BankName}."),
            _ => throw new ArgumentException($"No notification for {change.GetType().Name}.", nameof(change)),
        };
        Stage(session, claim, kind, message, now);
    }

    /// <summary>Reports each figure of the trail that changed since the victim was last told.</summary>
    /// <param name="told">What the claim was last told, when the caller has read it already.</param>
    public static async Task ForMoneyTrailAsync(IDocumentSession session, Claim claim, MoneyTrailView trail, DateTimeOffset now, CancellationToken ct,
        NotifiedMoneyTrail? told = null)
    {
        told ??= await session.LoadAsync<NotifiedMoneyTrail>(claim.Id, ct) ?? new NotifiedMoneyTrail { Id = claim.Id };
        var changes = new List<string>();
        var format = "F" + Currencies.MinorUnitDigits(trail.Currency);
        void Compare(string what, decimal before, decimal after)
        {
            if (before != after)
                changes.Add($"{what} {after.ToString(format, CultureInfo.InvariantCulture)} {trail.Currency} " +
                            $"(was {before.ToString(format, CultureInfo.InvariantCulture)})");
        }
        Compare("traced to accounts", told.Traced, trail.Traced);
        Compare("frozen or seized", told.Frozen, trail.Frozen);
        Compare("ordered to be returned", told.Ordered, trail.Ordered);
        Compare("paid to you", told.Paid, trail.Paid);
        if (changes.Count == 0) return;
        (told.Traced, told.Frozen, told.Ordered, told.Paid) = (trail.Traced, trail.Frozen, trail.Ordered, trail.Paid);
        session.Store(told);
        Stage(session, claim, "MoneyTrailChanged", $"News on claim {claim.Reference}: {string.Join("; ", changes)}.", now);
    }

    private static void Stage(IDocumentSession session, Claim claim, string kind, string message, DateTimeOffset now) =>
        session.Insert(new VictimNotification
        {
            Id = Guid.CreateVersion7(now), ClaimId = claim.Id, VictimSubject = claim.VictimSubject, Kind = kind, Message = message, CreatedAt = now,
        });
}
