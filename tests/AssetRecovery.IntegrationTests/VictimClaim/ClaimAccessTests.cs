using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using AssetRecovery.Clients;
using AssetRecovery.Clients.VictimClaim;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.ServiceDefaults;
using AssetRecovery.VictimClaim;

namespace AssetRecovery.IntegrationTests.VictimClaim;

/// <summary>Object-level security: a victim reaches only their own claims, an investigator only the claims of their cases.</summary>
[Collection(SystemCollection.Name)]
public sealed class ClaimAccessTests(Infrastructure.Infrastructure infrastructure) : IAsyncLifetime
{
    private const string CaseNumber = "SZ-2026-000333";
    private TestSystem _system = null!;
    private ServiceHost<VictimClaimService> _service = null!;

    public async Task InitializeAsync()
    {
        _system = await TestSystem.StartAsync(infrastructure);
        _service = _system.Start<VictimClaimService>("victim-claim");
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();

    [Fact]
    public async Task Victim_B_can_neither_read_nor_change_victim_As_claim_through_any_endpoint()
    {
        var victimA = _service.Client<IVictimClaimApi>(Roles.Victim, "victim-a");
        var victimB = _service.Client<IVictimClaimApi>(Roles.Victim, "victim-b");
        var investigator = _service.Client<IVictimClaimApi>(Roles.Investigator, "inspector-wu");
        var claimOfA = (await victimA.FileAsync(ClaimRequests.Valid(caseNumber: CaseNumber))).Content!.ClaimId;
        var claimOfB = (await victimB.FileAsync(ClaimRequests.Valid(amount: 80.00m))).Content!.ClaimId;
        // Put A's claim where each victim action would be allowed for its owner.
        await investigator.RequestInformationAsync(claimOfA, new RequestClaimInformationRequest("Which bank sent the SMS?"));
        var eventsBefore = await _system.CountEventsAsync();
        var versionBefore = (await victimA.GetAsync(claimOfA)).Content!.Timeline.Count;

        Assert.Equal(HttpStatusCode.NotFound, (await victimB.GetAsync(claimOfA)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await victimB.GetNotificationsAsync(claimOfA)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await victimB.SupplyInformationAsync(claimOfA, new SupplyClaimInformationRequest("mine now"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await victimB.RequestReconsiderationAsync(claimOfA, new RequestReconsiderationRequest("reconsider"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await victimB.ChangeReturnAccountAsync(claimOfA, new ReturnAccountInput("ICBC", "6222020200006666666", "B"))).StatusCode);
        // A missing claim answers the same, so B cannot tell whether A's exists.
        var missing = await victimB.GetAsync(Guid.NewGuid());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.ErrorMediaType());
        // Listing shows B only B's claim, even when B names A's case.
        Assert.Equal([claimOfB], (await victimB.ListAsync()).Content!.Items.Select(c => c.ClaimId));
        Assert.Empty((await victimB.ListAsync(caseNumber: CaseNumber)).Content!.Items);
        // Investigator operations are refused to victims by role.
        Assert.Equal(HttpStatusCode.Forbidden, (await victimB.ApproveAsync(claimOfA, new ApproveClaimRequest(1m, "me"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await victimB.DenyAsync(claimOfA, new DenyClaimRequest("no"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await victimB.LinkToCaseAsync(claimOfA, new LinkClaimRequest(CaseNumber, "B"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await victimB.RequestInformationAsync(claimOfA, new RequestClaimInformationRequest("?"))).StatusCode);

        Assert.Equal(eventsBefore, await _system.CountEventsAsync());
        var stillA = (await victimA.GetAsync(claimOfA)).Content!;
        Assert.Equal(("InformationRequested", versionBefore), (stillA.Status, stillA.Timeline.Count));
        // And the owner can do what B could not.
        Assert.Equal(HttpStatusCode.OK, (await victimA.SupplyInformationAsync(claimOfA, new SupplyClaimInformationRequest("China Bank"))).StatusCode);
    }

    [Fact]
    public async Task An_investigator_sees_the_claims_of_their_cases_only()
    {
        var victim = _service.Client<IVictimClaimApi>(Roles.Victim, "victim-c");
        var claimId = (await victim.FileAsync(ClaimRequests.Valid(caseNumber: CaseNumber))).Content!.ClaimId;
        var onCase = Investigator("inspector-on-case", CaseNumber);
        var otherCase = Investigator("inspector-elsewhere", "SZ-2026-999999");

        Assert.Equal(HttpStatusCode.OK, (await onCase.GetAsync(claimId)).StatusCode);
        Assert.Equal([claimId], (await onCase.ListAsync(caseNumber: CaseNumber)).Content!.Items.Select(c => c.ClaimId));
        Assert.Equal(HttpStatusCode.NotFound, (await otherCase.GetAsync(claimId)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherCase.ApproveAsync(claimId, new ApproveClaimRequest(1m, "x"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await otherCase.ListAsync(caseNumber: CaseNumber)).StatusCode);
        // Nor may they pull the claim into their own case.
        var relink = await onCase.LinkToCaseAsync(claimId, new LinkClaimRequest("SZ-2026-999999", null));
        Assert.Equal(HttpStatusCode.Forbidden, relink.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await onCase.ListAsync()).StatusCode);
    }

    [Fact]
    public async Task Without_a_valid_token_nothing_is_answered()
    {
        using var anonymous = _service.HttpClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/claims")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/claims", ClaimRequests.Valid())).StatusCode);
        using var bankOfficer = _service.HttpClient(DevelopmentTokens.Create(Roles.BankLiaison, "officer-li"));
        Assert.Equal(HttpStatusCode.Forbidden, (await bankOfficer.GetAsync("/api/claims")).StatusCode);
        Assert.Equal(0, await _system.CountEventsAsync());
    }

    private IVictimClaimApi Investigator(string subject, string caseNumber) =>
        ApiClients.Create<IVictimClaimApi>(_service.CreateClient(),
            DevelopmentTokens.Create(Roles.Investigator, subject, extraClaims: [new Claim(JwtClaims.Case, caseNumber)]));
}
