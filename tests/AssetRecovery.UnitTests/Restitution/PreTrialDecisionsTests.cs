using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Restitution;
using AssetRecovery.Restitution.PreTrialReturns;

namespace AssetRecovery.UnitTests.Restitution;

/// <summary>The pre-trial return rules with figures worked by hand.</summary>
public sealed class PreTrialDecisionsTests
{
    private static readonly Actor Investigator = new("inspector-wu", "Wu", "Investigator");
    private static readonly Actor Approver = new("chief-zhao", "Zhao", "Investigator");
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-27T02:00:00Z"); // Friday 10:00 in Beijing

    private static Money Cny(decimal amount) => new(amount, "CNY");

    private static PreTrialApplicant Applicant(Guid claimId, string victim, decimal lost, decimal? verified = null) =>
        new(claimId, "Victim " + victim, victim, Cny(lost), Cny(verified ?? lost), "CCB", "6217" + victim, "Victim " + victim);

    private static PreTrialReturn Return(string rule, decimal frozen, IReadOnlyList<PreTrialApplicant> applicants, params (string Victim, decimal Loss, decimal Held)[] rows)
    {
        var id = Guid.NewGuid();
        var ret = PreTrialReturn.Create(new PreTrialReturnApplied(id, "SZ-1", Guid.NewGuid(), "ICBC", "6222", "CNY", applicants, "APP-1", Investigator, Now));
        var byVictim = applicants.ToDictionary(a => a.TraceVictimId!, a => a.ClaimId);
        return ret.Apply(new PreTrialFundFlowTableBuilt(id, "SZ-1", Guid.NewGuid(), rule, Now, Cny(frozen),
            rows.Select(r => new FundFlowRow(r.Victim, byVictim.TryGetValue(r.Victim, out var c) ? c : null, Cny(r.Loss), Cny(r.Held))).ToList(),
            Investigator, Now));
    }

    [Fact]
    public void Pro_rata_shares_by_loss_over_all_victims_in_the_account_and_keeps_the_absent_victims_share_frozen()
    {
        // A 600, B 400, C 250 (total 1,250) have money in the account; 777.77 frozen; A and B apply.
        // 77777 fen × 600/1250 = 37332.96, × 400/1250 = 24888.64, × 250/1250 = 15555.40 → 37332 + 24888 + 15555 = 77775;
        // the 2 spare fen to the largest remainders (A .96, B .64): A 373.33, B 248.89, C 155.55 (stays frozen).
        Guid a = Guid.NewGuid(), b = Guid.NewGuid();
        var ret = Return("ProRata", 777.77m, [Applicant(a, "A", 600m), Applicant(b, "B", 400m)],
            ("A", 600m, 432m), ("B", 400m, 288m), ("C", 250m, 180m));
        var decided = PreTrialDecisions.Decide(ret, "SZPD-PTR-1", "mixed deposits", Investigator, Now);
        Assert.Equal(PreTrialReturnMode.ProRata, decided.Mode);
        Assert.Equal([(a, 373.33m), (b, 248.89m)], decided.Allocations.Select(x => (x.ClaimId, x.Amount.Amount)));
        Assert.Equal((777.77m, 622.22m, 155.55m), (decided.Available.Amount, decided.Total.Amount, decided.StaysFrozen.Amount));
        Assert.Equal(Now.AddDays(30), decided.NoticeEndsAt);
    }

    [Fact]
    public void One_victim_in_the_account_is_a_direct_return_capped_at_the_verified_loss()
    {
        var d = Guid.NewGuid();
        var ret = Return("ProRata", 800m, [Applicant(d, "D", 800m, verified: 750m)], ("D", 800m, 800m));
        var decided = PreTrialDecisions.Decide(ret, "SZPD-PTR-2", "one depositor", Investigator, Now);
        Assert.Equal(PreTrialReturnMode.Direct, decided.Mode);
        Assert.Null(decided.NoticeEndsAt);
        Assert.Equal((750m, 50m), (decided.Total.Amount, decided.StaysFrozen.Amount));
    }

    [Fact]
    public void Under_a_fifo_trace_several_victims_are_separable_by_time_and_each_gets_what_the_trace_holds_for_them()
    {
        Guid a = Guid.NewGuid(), b = Guid.NewGuid();
        var all = Return("Fifo", 500m, [Applicant(a, "A", 600m), Applicant(b, "B", 400m)], ("A", 600m, 100m), ("B", 400m, 400m));
        var decided = PreTrialDecisions.Decide(all, "SZPD-PTR-3", "FIFO", Investigator, Now);
        Assert.Equal(PreTrialReturnMode.SeparableByTime, decided.Mode);
        Assert.Null(decided.NoticeEndsAt);
        Assert.Equal([100m, 400m], decided.Allocations.Select(x => x.Amount.Amount));

        // Less frozen than traced (400.01 of 500.00): split over the holdings, 40001 × 1/5 = 8000.2, × 4/5 = 32000.8 → A 80.00, B 320.01.
        var part = Return("Fifo", 400.01m, [Applicant(a, "A", 600m), Applicant(b, "B", 400m)], ("A", 600m, 100m), ("B", 400m, 400m));
        Assert.Equal([80.00m, 320.01m], PreTrialDecisions.Decide(part, "SZPD-PTR-4", "FIFO", Investigator, Now).Allocations.Select(x => x.Amount.Amount));
    }

    [Fact]
    public void Approval_needs_the_end_of_the_notice_resolved_objections_a_level_of_prefecture_city_or_above_and_another_officer()
    {
        Guid a = Guid.NewGuid(), b = Guid.NewGuid();
        var ret = Return("ProRata", 100m, [Applicant(a, "A", 60m), Applicant(b, "B", 40m)], ("A", 60m, 60m), ("B", 40m, 40m));
        ret = ret.Apply(PreTrialDecisions.Decide(ret, "SZPD-PTR-5", "mixed", Investigator, Now));
        Assert.Equal("pre-trial-return.notice-running",
            Assert.Throws<DomainRuleViolationException>(() => PreTrialDecisions.Approve(ret, "prefecture-city", "APR-1", Approver, Now)).Rule);

        var objection = Guid.NewGuid();
        ret = ret.Apply(PreTrialDecisions.Object(ret, objection, null, "B's loss is overstated", null, Investigator, isVictim: false, Now.AddDays(1)));
        Assert.Null(PreTrialDecisions.CloseNotice(ret, Now.AddDays(29), Now.AddDays(29))); // not the notice's end
        ret = ret.Apply(PreTrialDecisions.CloseNotice(ret, Now.AddDays(30), Now.AddDays(30))!);
        Assert.Throws<DomainRuleViolationException>(() =>
            PreTrialDecisions.Object(ret, Guid.NewGuid(), null, "too late", null, Investigator, isVictim: false, Now.AddDays(30)));
        Assert.Equal("pre-trial-return.objection-open",
            Assert.Throws<DomainRuleViolationException>(() => PreTrialDecisions.Approve(ret, "provincial", "APR-1", Approver, Now.AddDays(30))).Rule);
        ret = ret.Apply(PreTrialDecisions.Resolve(ret, objection, ObjectionOutcome.Dismissed, "bank statement confirms it", Investigator, Now.AddDays(30))!);

        Assert.Contains("approverLevel",
            Assert.Throws<RequestValidationException>(() => PreTrialDecisions.Approve(ret, "county", "APR-1", Approver, Now.AddDays(30))).Errors.Keys);
        Assert.Equal("pre-trial-return.same-officer",
            Assert.Throws<DomainRuleViolationException>(() => PreTrialDecisions.Approve(ret, "prefecture-city", "APR-1", Investigator, Now.AddDays(30))).Rule);
        var approved = PreTrialDecisions.Approve(ret, "Prefecture-City", "APR-1", Approver, Now.AddDays(30));
        Assert.Equal(("prefecture-city", 100m), (approved.ApproverLevel, approved.Total.Amount));
    }

    [Theory]
    [InlineData("2026-11-27T02:00:00Z", "2026-12-02T02:00:00Z")] // Friday 10:00 Beijing → Wednesday
    [InlineData("2026-11-27T17:00:00Z", "2026-12-01T17:00:00Z")] // Saturday 01:00 Beijing (still Friday in UTC) → Wednesday 01:00 Beijing
    [InlineData("2026-11-25T02:00:00Z", "2026-11-30T02:00:00Z")] // Wednesday → Monday
    [InlineData("2026-11-23T02:00:00Z", "2026-11-26T02:00:00Z")] // Monday → Thursday
    public void The_receipt_is_due_three_working_days_later_on_the_banks_calendar(string instructed, string due) =>
        Assert.Equal(DateTimeOffset.Parse(due), PreTrialDecisions.AddWorkingDays(DateTimeOffset.Parse(instructed), 3));
}
