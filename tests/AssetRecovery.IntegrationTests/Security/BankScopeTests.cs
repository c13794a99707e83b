using System.Net;
using System.Security.Claims;
using AssetRecovery.Clients;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Freeze;
using AssetRecovery.IntegrationTests.Freeze;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.ServiceDefaults;

namespace AssetRecovery.IntegrationTests.Security;

/// <summary>
/// Bank liaison officers see and submit their own bank's requests only, and outside Development their token must say
/// which bank that is (here required by setting, as it is by default in every other environment).
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class BankScopeTests(Infrastructure.Infrastructure infrastructure) : IAsyncLifetime
{
    private TestSystem _system = null!;
    private ServiceHost<FreezeService> _freeze = null!;

    public async Task InitializeAsync()
    {
        _system = await TestSystem.StartAsync(infrastructure);
        _freeze = _system.Start<FreezeService>("freeze", new Dictionary<string, string?> { ["Auth:RequireLiaisonBankCode"] = "true" });
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();

    private TApi Liaison<TApi>(string? bank) => ApiClients.Create<TApi>(_freeze.CreateClient(), DevelopmentTokens.Create(Roles.BankLiaison,
        $"officer-{bank ?? "none"}", extraClaims: bank is null ? null : [new Claim(JwtClaims.BankCode, bank)]));

    [Fact]
    public async Task A_liaison_token_without_a_bank_may_do_nothing()
    {
        var api = Liaison<IFreezeApi>(null);
        var submit = await api.SubmitAsync(FreezeRequests.Valid(FreezeRequests.NewCaseNumber()));
        var list = await api.ListOverdueAcknowledgementsAsync();

        foreach (var response in new Refit.IApiResponse[] { submit, list })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.ErrorMediaType());
            Assert.Equal("bank_code", System.Text.Json.Nodes.JsonNode.Parse(response.ErrorContent())?["rule"]?.GetValue<string>());
        }
        Assert.Equal(0L, await _system.ScalarAsync<long>($"SELECT count(*) FROM {_system.EventsSchema}.mt_events"));
        // Investigators are not bank-scoped.
        Assert.Equal(HttpStatusCode.OK, (await _freeze.Client<IFreezeApi>(Roles.Investigator).ListOverdueAcknowledgementsAsync()).StatusCode);
    }

    [Fact]
    public async Task Lists_accounts_and_batches_show_a_liaison_officer_their_own_bank_only()
    {
        var caseNumber = FreezeRequests.NewCaseNumber();
        var icbc = Liaison<IFreezeApi>("ICBC");
        var abc = Liaison<IFreezeApi>("ABC");
        var atIcbc = FreezeRequests.Valid(caseNumber);
        var atAbc = atIcbc with { BankCode = "ABC", AccountNumber = "6228480402564890018", LegalDocumentReference = "DOC-ABC" };
        Assert.Equal(HttpStatusCode.Created, (await icbc.SubmitAsync(atIcbc)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await abc.SubmitAsync(atAbc)).StatusCode);

        Assert.Equal(["ICBC"], (await icbc.ListByCaseAsync(caseNumber)).Content!.Items.Select(f => f.BankCode));
        Assert.Equal(["ABC"], (await abc.ListByCaseAsync(caseNumber)).Content!.Items.Select(f => f.BankCode));
        Assert.Equal(2, (await _freeze.Client<IFreezeApi>(Roles.Investigator).ListByCaseAsync(caseNumber)).Content!.Total);
        Assert.Equal(HttpStatusCode.NotFound, (await abc.GetAccountHoldsAsync("ICBC", atIcbc.AccountNumber!)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await icbc.GetAccountHoldsAsync("ICBC", atIcbc.AccountNumber!)).StatusCode);

        // A batch row for another bank is refused as invalid; the batch itself is not there for the other bank.
        var batches = Liaison<IFreezeBatchApi>("ICBC");
        var batch = (await batches.SubmitAsync(new SubmitFreezeBatchRequest([
            atIcbc with { LegalDocumentReference = "DOC-B1" }, atAbc with { LegalDocumentReference = "DOC-B2" }]))).Content!;
        Assert.Equal(1, batch.Invalid);
        var invalid = (await batches.GetRowsAsync(batch.BatchId, "Invalid")).Content!.Items.Single();
        Assert.Equal(2, invalid.RowNumber);
        Assert.Contains("bankCode", invalid.Errors!.Keys);
        Assert.Equal(HttpStatusCode.NotFound, (await Liaison<IFreezeBatchApi>("ABC").GetAsync(batch.BatchId)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Liaison<IFreezeBatchApi>("ABC").GetRowsAsync(batch.BatchId)).StatusCode);
    }
}
