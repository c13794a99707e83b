using AssetRecovery.BuildingBlocks;
using AssetRecovery.Clients.VictimClaim;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.VictimClaim;
using AssetRecovery.VictimClaim.Domain;

namespace AssetRecovery.UnitTests.VictimClaim;

public sealed class ClaimDecisionsTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-04-01T08:00:00Z");
    private static readonly Actor Victim = new("victim-li", "Li Hua", "Victim");
    private static readonly Actor Investigator = new("inspector-wu", "Wu", "Investigator");

    private static FileClaimRequest Request(params (decimal Amount, string Currency)[] payments) => new(
        "Li Hua", "4403 0119 9001 0112-34", "li.hua@example.cn", null,
        payments.Select((p, i) => new LostPaymentInput(Now.AddDays(-30 + i), p.Amount, p.Currency, "6217000000000000001", "6222020200000000001"))
            .ToList(),
        new ReturnAccountInput("CCB", "6217000000000000001", "Li Hua"), "SZ-2026-000001");

    private static Claim Filed(params (decimal Amount, string Currency)[] payments) =>
        Claim.Create(ClaimDecisions.File(Guid.CreateVersion7(Now), "victim-li", Request(payments), n => new ProtectedIdNumber("cipher:" + n.Length, IdNumbers.Mask(n)),
            Victim, Now));

    [Fact]
    public void The_claimed_loss_is_the_sum_of_the_payments_and_the_id_number_is_kept_only_protected_and_masked()
    {
        string? seen = null;
        var filed = ClaimDecisions.File(Guid.CreateVersion7(Now), "victim-li", Request((1000.10m, "CNY"), (250.25m, "CNY")),
            n => { seen = n; return new ProtectedIdNumber("ciphertext", IdNumbers.Mask(n)); }, Victim, Now);
        Assert.Equal(new Money(1250.35m, "CNY"), filed.ClaimedLoss);
        Assert.Equal("440301199001011234", seen); // spaces and hyphens dropped before protection
        Assert.Equal(new ProtectedIdNumber("ciphertext", "**************1234"), filed.IdNumber);
        Assert.Matches("^VC-[0-9A-HJKMNP-TV-Z]{10}$", filed.Reference);
        Assert.Equal(filed.Reference, ClaimReferences.For(filed.ClaimId));
    }

    [Fact]
    public void A_claim_is_in_one_currency()
    {
        var refused = Assert.Throws<RequestValidationException>(() => Filed((100m, "CNY"), (10m, "USD")));
        Assert.Contains("payments[1].currency", refused.Errors.Keys);
    }

    [Theory]
    [InlineData(600.00, true)]
    [InlineData(599.99, true)]
    [InlineData(600.01, false)]
    public void The_verified_loss_never_exceeds_the_claimed_loss(decimal verified, bool allowed)
    {
        var claim = Filed((400.00m, "CNY"), (200.00m, "CNY"));
        var approve = () => ClaimDecisions.Approve(claim, new ApprovalInput(verified, "checked", null, "A"), Investigator, Now);
        if (allowed)
            Assert.Equal(new Money(verified, "CNY"), Assert.IsType<ClaimApproved>(approve()[^1]).VerifiedLoss);
        else
            Assert.Equal("claim.verified-above-claimed", Assert.Throws<DomainRuleViolationException>(() => approve()).Rule);
    }

    [Fact]
    public void Approval_links_the_claim_to_its_case_once_and_repeating_it_changes_nothing()
    {
        var claim = Filed((600.00m, "CNY"));
        var events = ClaimDecisions.Approve(claim, new ApprovalInput(500m, "checked", null, "A"), Investigator, Now);
        Assert.Equal([typeof(ClaimLinkedToCase), typeof(ClaimApproved)], events.Select(e => e.GetType()));
        var approved = events.Aggregate(claim, (c, e) => c.Then(e));
        Assert.Equal((ClaimStatus.Approved, "SZ-2026-000001", true, "A"), (approved.Status, approved.CaseNumber, approved.CaseConfirmed, approved.TraceVictimId));
        Assert.Empty(ClaimDecisions.Approve(approved, new ApprovalInput(500.00m, "checked again", null, null), Investigator, Now));
        var revised = ClaimDecisions.Approve(approved, new ApprovalInput(450m, "refund found", null, null), Investigator, Now);
        Assert.Equal(450m, Assert.IsType<ClaimApproved>(Assert.Single(revised)).VerifiedLoss.Amount);
    }

    [Fact]
    public void A_decision_is_not_turned_into_the_other_one()
    {
        var claim = Filed((600.00m, "CNY"));
        var approved = ClaimDecisions.Approve(claim, new ApprovalInput(600m, "checked", null, "A"), Investigator, Now).Aggregate(claim, (c, e) => c.Then(e));
        Assert.Equal("claim.approved", Assert.Throws<DomainRuleViolationException>(() => ClaimDecisions.Deny(approved, "no", Investigator, Now)).Rule);
        var denied = claim.Then(ClaimDecisions.Deny(claim, "no evidence", Investigator, Now));
        Assert.Equal("claim.denied", Assert.Throws<DomainRuleViolationException>(() =>
            ClaimDecisions.Approve(denied, new ApprovalInput(600m, "checked", null, null), Investigator, Now)).Rule);
    }

    [Fact]
    public void Approval_needs_a_case()
    {
        var claim = Claim.Create(ClaimDecisions.File(Guid.CreateVersion7(Now), "victim-li", Request((10m, "CNY")) with { CaseNumber = null },
            n => new ProtectedIdNumber("c", IdNumbers.Mask(n)), Victim, Now));
        var refused = Assert.Throws<RequestValidationException>(() => ClaimDecisions.Approve(claim, new ApprovalInput(10m, "ok", null, null), Investigator, Now));
        Assert.Contains("caseNumber", refused.Errors.Keys);
    }

    [Fact]
    public void Supplied_information_can_add_payments_in_the_claims_currency()
    {
        var claim = Filed((600.00m, "CNY")).Then(new ClaimInformationRequested(Guid.Empty, "Anything else?", Investigator, Now));
        var supplied = ClaimDecisions.SupplyInformation(claim, new SupplyClaimInformationRequest("Yes",
            [new LostPaymentInput(Now.AddDays(-1), 0.01m, "CNY", "a", "b")]), Victim, Now);
        Assert.Equal(new Money(600.01m, "CNY"), supplied.ClaimedLoss);
        var foreign = Assert.Throws<RequestValidationException>(() => ClaimDecisions.SupplyInformation(claim,
            new SupplyClaimInformationRequest("Yes", [new LostPaymentInput(Now.AddDays(-1), 1m, "USD", "a", "b")]), Victim, Now));
        Assert.Contains("addedPayments[0].currency", foreign.Errors.Keys);
        var noQuestion = Assert.Throws<DomainRuleViolationException>(() =>
            ClaimDecisions.SupplyInformation(claim.Then(supplied), new SupplyClaimInformationRequest("again"), Victim, Now));
        Assert.Equal("claim.no-question", noQuestion.Rule);
    }

    [Theory]
    [InlineData("440301199001011234", "**************1234")]
    [InlineData("G1234567", "****4567")]
    public void Id_numbers_show_only_their_last_four_characters(string number, string masked) =>
        Assert.Equal(masked, IdNumbers.Mask(number));
}
