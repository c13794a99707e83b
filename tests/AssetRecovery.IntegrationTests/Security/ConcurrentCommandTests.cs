using System.Net;
using System.Text.Json.Nodes;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Clients.VictimClaim;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Freeze;
using AssetRecovery.IntegrationTests.Freeze;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.IntegrationTests.VictimClaim;
using AssetRecovery.ServiceDefaults;
using AssetRecovery.VictimClaim;
using Refit;

namespace AssetRecovery.IntegrationTests.Security;

/// <summary>
/// Conflicting commands sent at the same moment: exactly one takes effect, and every loser gets a 409 ProblemDetails
/// that says which rule refused it.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class ConcurrentCommandTests(Infrastructure.Infrastructure infrastructure) : IAsyncLifetime
{
    private const int Racers = 6;
    private TestSystem _system = null!;
    private ServiceHost<FreezeService> _freeze = null!;
    private ServiceHost<VictimClaimService> _victimClaim = null!;

    public async Task InitializeAsync()
    {
        _system = await TestSystem.StartAsync(infrastructure);
        _freeze = _system.Start<FreezeService>("freeze");
        _victimClaim = _system.Start<VictimClaimService>("victim-claim");
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();

    [Fact]
    public async Task Racing_bank_results_for_one_freeze_record_one_result()
    {
        var liaison = _freeze.Client<IFreezeApi>(Roles.BankLiaison);
        var freezeId = (await liaison.SubmitAsync(FreezeRequests.Valid(FreezeRequests.NewCaseNumber(), 1_000m))).Content!.FreezeId;

        // Half say frozen in full, half say rejected: whichever commits first is the bank's result.
        var answers = await Task.WhenAll(Enumerable.Range(0, Racers).Select(i => liaison.RecordBankExecutionAsync(freezeId, i % 2 == 0
            ? new RecordBankExecutionRequest(BankExecutionOutcome.FrozenInFull)
            : new RecordBankExecutionRequest(BankExecutionOutcome.Rejected, ReasonCode: "AccountClosed"))));

        var winner = OneWinnerAndRuledLosers(answers);
        Assert.Equal(1L, await EventsOf(freezeId, "freeze_executed_by_bank", "freeze_rejected_by_bank"));
        Assert.Equal(winner.Content!.Status, (await liaison.GetAsync(freezeId)).Content!.Status);
    }

    [Fact]
    public async Task Racing_releases_of_the_whole_freeze_release_it_once()
    {
        var liaison = _freeze.Client<IFreezeApi>(Roles.BankLiaison);
        var investigator = _freeze.Client<IFreezeApi>(Roles.Investigator);
        var freezeId = (await liaison.SubmitAsync(FreezeRequests.Valid(FreezeRequests.NewCaseNumber(), 1_000m))).Content!.FreezeId;
        Assert.Equal(HttpStatusCode.OK,
            (await liaison.RecordBankExecutionAsync(freezeId, new RecordBankExecutionRequest(BankExecutionOutcome.FrozenInFull))).StatusCode);

        var answers = await Task.WhenAll(Enumerable.Range(0, Racers).Select(i =>
            investigator.ReleaseAsync(freezeId, new ReleaseFreezeRequest($"release {i}", $"DOC-REL-{i}", 1_000m))));

        OneWinnerAndRuledLosers(answers);
        Assert.Equal(1L, await EventsOf(freezeId, "freeze_released"));
        Assert.Equal("Released", (await investigator.GetAsync(freezeId)).Content!.Status);
    }

    [Fact]
    public async Task Racing_approval_and_denial_of_one_claim_decide_it_once()
    {
        var victim = _victimClaim.Client<IVictimClaimApi>(Roles.Victim, "victim-race");
        var investigator = _victimClaim.Client<IVictimClaimApi>(Roles.Investigator);
        var claimId = (await victim.FileAsync(ClaimRequests.Valid())).Content!.ClaimId;
        var caseNumber = FreezeRequests.NewCaseNumber();

        var answers = await Task.WhenAll(Enumerable.Range(0, Racers).Select(i => i % 2 == 0
            ? investigator.ApproveAsync(claimId, new ApproveClaimRequest(600.00m, "Bank statement", caseNumber))
            : investigator.DenyAsync(claimId, new DenyClaimRequest("No evidence of the payment"))));

        // One decision is recorded. Racers that came after it see it: the same approval again is a repeat that changes
        // nothing (200, the same claim), the other decision a refusal; racers that collided with it get a conflict.
        Assert.Equal(1L, await EventsOf(claimId, "claim_approved", "claim_denied"));
        var status = (await investigator.GetAsync(claimId)).Content!.Status;
        Assert.All(answers.Where(a => a.StatusCode == HttpStatusCode.OK), a => Assert.Equal(status, a.Content!.Status));
        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.OK);
        RuledLosers(answers.Where(a => a.StatusCode != HttpStatusCode.OK));
    }

    private static IApiResponse<T> OneWinnerAndRuledLosers<T>(IApiResponse<T>[] answers)
    {
        var winner = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        RuledLosers(answers.Where(a => a != winner));
        return winner;
    }

    private static void RuledLosers(IEnumerable<IApiResponse> losers)
    {
        foreach (var loser in losers)
        {
            Assert.True(loser.StatusCode == HttpStatusCode.Conflict, $"{loser.StatusCode}: {loser.ErrorContent()}");
            Assert.Equal("application/problem+json", loser.ErrorMediaType());
            Assert.False(string.IsNullOrEmpty(JsonNode.Parse(loser.ErrorContent())?["rule"]?.GetValue<string>()), loser.ErrorContent());
        }
    }

    private Task<long> EventsOf(Guid streamId, params string[] types) => _system.ScalarAsync<long>(
        $"SELECT count(*) FROM {_system.EventsSchema}.mt_events WHERE stream_id = @id AND type = ANY(@types)", ("id", streamId), ("types", types));
}
