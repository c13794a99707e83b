using System.Net;
using System.Text.RegularExpressions;
using AssetRecovery.Clients.VictimClaim;
using AssetRecovery.IntegrationTests.Freeze;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.ServiceDefaults;
using AssetRecovery.VictimClaim;

namespace AssetRecovery.IntegrationTests.VictimClaim;

/// <summary>Filing, verification and reconsideration of claims over the Refit client, on real PostgreSQL and RabbitMQ.</summary>
[Collection(SystemCollection.Name)]
public sealed class ClaimVerificationTests(Infrastructure.Infrastructure infrastructure) : IAsyncLifetime
{
    private TestSystem _system = null!;
    private ServiceHost<VictimClaimService> _service = null!;
    private IVictimClaimApi _victim = null!;
    private IVictimClaimApi _investigator = null!;

    public async Task InitializeAsync()
    {
        _system = await TestSystem.StartAsync(infrastructure);
        _service = _system.Start<VictimClaimService>("victim-claim", new Dictionary<string, string?> { ["Notifications:PollInterval"] = "00:00:00.200" });
        _victim = _service.Client<IVictimClaimApi>(Roles.Victim, "victim-li");
        _investigator = _service.Client<IVictimClaimApi>(Roles.Investigator, "inspector-wu");
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();

    [Fact]
    public async Task A_claim_gets_a_receipt_and_its_id_number_is_stored_encrypted_and_shown_masked()
    {
        var filed = await _victim.FileAsync(ClaimRequests.Valid(), idempotencyKey: "portal-1");
        Assert.True(filed.StatusCode == HttpStatusCode.Created, filed.ErrorContent());
        var receipt = filed.Content!;
        Assert.Equal($"/api/claims/{receipt.ClaimId}", filed.Headers!.Location?.OriginalString);
        Assert.Matches(new Regex("^VC-[0-9A-HJKMNP-TV-Z]{10}$"), receipt.Reference);
        Assert.Equal(("Filed", 600.00m, "CNY"), (receipt.Status, receipt.ClaimedLoss.Amount, receipt.ClaimedLoss.Currency));

        var again = await _victim.FileAsync(ClaimRequests.Valid(), idempotencyKey: "portal-1");
        Assert.Equal(receipt.ClaimId, again.Content!.ClaimId);
        Assert.Equal(1, (await _victim.ListAsync()).Content!.Total);

        var claim = (await _victim.GetAsync(receipt.ClaimId)).Content!;
        Assert.Equal("**************1234", claim.IdNumberMasked);
        var filedEntry = Assert.Single(claim.Timeline);
        Assert.Equal(("ClaimFiled", "You"), (filedEntry.Event, filedEntry.By));
        Assert.Equal((600.00m, (decimal?)null, 0m, 0m, (decimal?)null),
            (claim.MoneyTrail.Claimed, claim.MoneyTrail.Verified, claim.MoneyTrail.Traced, claim.MoneyTrail.Frozen, claim.MoneyTrail.Outstanding));

        // Neither the event store nor the service's documents hold the number in clear.
        Assert.Equal(1L, await _system.ScalarAsync<long>($"SELECT count(*) FROM {_system.EventsSchema}.mt_events WHERE type = 'claim_filed'"));
        Assert.Equal(0L, await _system.ScalarAsync<long>(
            $"SELECT count(*) FROM {_system.EventsSchema}.mt_events WHERE data::text LIKE '%' || @id || '%'", ("id", ClaimRequests.IdNumber)));
        Assert.Equal(0L, await _system.ScalarAsync<long>(
            $"SELECT count(*) FROM {_system.DocumentsSchema("victim-claim")}.mt_doc_claim WHERE data::text LIKE '%' || @id || '%'", ("id", ClaimRequests.IdNumber)));

        // The victim is told, through the channel (log by default), once the change is committed.
        var notifications = await Eventually.Until(async () => (await _victim.GetNotificationsAsync(receipt.ClaimId)).Content!,
            n => n.Count == 1 && n[0].SentAt is not null, what: "the receipt notification to be sent");
        Assert.Equal("ClaimFiled", notifications[0].Kind);
        Assert.Contains(receipt.Reference, notifications[0].Message);
    }

    [Fact]
    public async Task Bad_claims_are_refused_field_by_field_and_write_nothing()
    {
        var valid = ClaimRequests.Valid();
        var payment = valid.Payments![0];
        var cases = new (FileClaimRequest Request, string Field)[]
        {
            (valid with { IdNumber = null }, "idNumber"),
            (valid with { IdNumber = "12-34" }, "idNumber"),
            (valid with { Email = null, Phone = null }, "contact"),
            (valid with { Email = "not-an-address" }, "email"),
            (valid with { Payments = [] }, "payments"),
            (valid with { Payments = [payment with { Amount = -5m }] }, "payments[0].amount"),
            (valid with { Payments = [payment with { Amount = 10.001m }] }, "payments[0].amount"),
            (valid with { Payments = [payment with { Currency = "XXX" }] }, "payments[0].currency"),
            (valid with { Payments = [payment, payment with { Currency = "USD" }] }, "payments[1].currency"),
            (valid with { Payments = [payment with { PaidAt = DateTimeOffset.UtcNow.AddDays(2) }] }, "payments[0].paidAt"),
            (valid with { ReturnAccount = null }, "returnAccount"),
            (valid with { FullName = "Li\u0000Hua" }, "fullName"),
        };
        foreach (var (request, field) in cases)
        {
            var refused = await _victim.FileAsync(request);
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{field}: {refused.StatusCode} {refused.ErrorContent()}");
            Assert.Equal("application/problem+json", refused.ErrorMediaType());
            Assert.Contains($"\"{field}\"", refused.ErrorContent());
        }
        Assert.Equal(0, await _system.CountEventsAsync());
    }

    [Fact]
    public async Task An_investigator_asks_for_more_then_approves_no_more_than_was_claimed()
    {
        var claimId = (await _victim.FileAsync(ClaimRequests.Valid(caseNumber: "SZ-2026-000111"))).Content!.ClaimId;

        var asked = await _investigator.RequestInformationAsync(claimId, new RequestClaimInformationRequest("Please send the bank statement of 1 March."));
        Assert.Equal("InformationRequested", asked.Content!.Status);
        var whileOpen = await _investigator.ApproveAsync(claimId, new ApproveClaimRequest(600.00m, "Statement checked"));
        Assert.Equal(HttpStatusCode.Conflict, whileOpen.StatusCode);
        Assert.Contains("claim.question-open", whileOpen.ErrorContent());

        var seen = (await _victim.GetAsync(claimId)).Content!;
        Assert.Equal("Please send the bank statement of 1 March.", seen.OpenQuestion);
        var answered = await _victim.SupplyInformationAsync(claimId, new SupplyClaimInformationRequest("Sent by post; I also paid 50 more the next day.",
            [new LostPaymentInput(DateTimeOffset.Parse("2026-03-02T10:00:00Z"), 50.00m, "CNY", "6217000000000000001", TracedCase.MuleOne)]));
        Assert.Equal(("InformationSupplied", 650.00m, 2), (answered.Content!.Status, answered.Content.ClaimedLoss.Amount, answered.Content.Payments.Count));

        var eventsBefore = await _system.CountEventsAsync();
        var tooMuch = await _investigator.ApproveAsync(claimId, new ApproveClaimRequest(650.01m, "Statement checked"));
        Assert.Equal(HttpStatusCode.Conflict, tooMuch.StatusCode);
        Assert.Contains("claim.verified-above-claimed", tooMuch.ErrorContent());
        Assert.Equal(eventsBefore, await _system.CountEventsAsync());

        var approved = (await _investigator.ApproveAsync(claimId, new ApproveClaimRequest(640.00m, "Statement shows 640.00 left the account",
            TraceVictimId: "A"))).Content!;
        Assert.Equal(("Approved", 640.00m, "SZ-2026-000111", true, "A"),
            (approved.Status, approved.VerifiedLoss!.Amount, approved.CaseNumber, approved.CaseConfirmed, approved.TraceVictimId));
        Assert.Equal((640.00m, 640.00m), (approved.MoneyTrail.Verified, approved.MoneyTrail.Outstanding));

        var repeated = (await _investigator.ApproveAsync(claimId, new ApproveClaimRequest(640.00m, "Statement shows 640.00 left the account"))).Content!;
        Assert.Equal(approved.Timeline.Count, repeated.Timeline.Count);

        // The investigator sees names; the victim sees roles, and "You" for their own steps.
        var byVictim = (await _victim.GetAsync(claimId)).Content!.Timeline.Select(t => (t.Event, t.By)).ToList();
        Assert.Equal([("ClaimFiled", "You"), ("ClaimInformationRequested", "Investigator"), ("ClaimInformationSupplied", "You"),
            ("ClaimLinkedToCase", "Investigator"), ("ClaimApproved", "Investigator")], byVictim);
        Assert.Equal("inspector-wu (Investigator)", approved.Timeline[^1].By);
        Assert.Contains("Statement shows 640.00", approved.Timeline[^1].Summary);
    }

    [Fact]
    public async Task A_denial_can_be_reconsidered_once()
    {
        var claimId = (await _victim.FileAsync(ClaimRequests.Valid(caseNumber: "SZ-2026-000222"))).Content!.ClaimId;
        var early = await _victim.RequestReconsiderationAsync(claimId, new RequestReconsiderationRequest("Please look again"));
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("claim.not-denied", early.ErrorContent());

        var denied = (await _investigator.DenyAsync(claimId, new DenyClaimRequest("The payment went to the victim's own second account."))).Content!;
        Assert.Equal(("Denied", true), (denied.Status, denied.MayRequestReconsideration));
        var notDenyTwice = await _investigator.DenyAsync(claimId, new DenyClaimRequest("again"));
        Assert.Equal(HttpStatusCode.Conflict, notDenyTwice.StatusCode);
        var cannotApprove = await _investigator.ApproveAsync(claimId, new ApproveClaimRequest(100m, "x"));
        Assert.Contains("claim.denied", cannotApprove.ErrorContent());

        var reconsidering = (await _victim.RequestReconsiderationAsync(claimId,
            new RequestReconsiderationRequest("That account belongs to the fraudster; see the attached bank letter."))).Content!;
        Assert.Equal(("ReconsiderationRequested", false), (reconsidering.Status, reconsidering.MayRequestReconsideration));
        Assert.Equal("Denied", (await _investigator.DenyAsync(claimId, new DenyClaimRequest("The bank letter is not genuine."))).Content!.Status);

        var second = await _victim.RequestReconsiderationAsync(claimId, new RequestReconsiderationRequest("Please, once more"));
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("claim.reconsideration-used", second.ErrorContent());

        var notifications = await Eventually.Until(async () => (await _victim.GetNotificationsAsync(claimId)).Content!,
            n => n.Count(x => x.Kind == "ClaimDenied") == 2, what: "both denials to be notified");
        Assert.Contains(notifications, n => n.Kind == "ReconsiderationRequested");
    }
}
