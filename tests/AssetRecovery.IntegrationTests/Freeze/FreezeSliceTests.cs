using System.Net;
using System.Net.Http.Json;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Clients.Restitution;
using AssetRecovery.Clients.Seizure;
using AssetRecovery.Clients.VictimClaim;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Freeze;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.Restitution;
using AssetRecovery.Seizure;
using AssetRecovery.ServiceDefaults;
using AssetRecovery.VictimClaim;

namespace AssetRecovery.IntegrationTests.Freeze;

/// <summary>The first vertical slice through all four services, over the Refit clients, on real PostgreSQL and RabbitMQ.</summary>
[Collection(SystemCollection.Name)]
public sealed class FreezeSliceTests(Infrastructure.Infrastructure infrastructure) : IAsyncLifetime
{
    private TestSystem _system = null!;
    private ServiceHost<FreezeService> _freeze = null!;
    private ServiceHost<SeizureService> _seizure = null!;
    private ServiceHost<RestitutionService> _restitution = null!;
    private ServiceHost<VictimClaimService> _victimClaim = null!;

    public async Task InitializeAsync()
    {
        _system = await TestSystem.StartAsync(infrastructure);
        _freeze = _system.Start<FreezeService>("freeze");
        _seizure = _system.Start<SeizureService>("seizure");
        _restitution = _system.Start<RestitutionService>("restitution");
        _victimClaim = _system.Start<VictimClaimService>("victim-claim");
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();

    [Fact]
    public async Task A_freeze_request_reaches_the_saga_and_the_bank_result_completes_it()
    {
        var liaison = _freeze.Client<IFreezeApi>(Roles.BankLiaison, "officer-li");
        var caseNumber = FreezeRequests.NewCaseNumber();

        var submitted = await liaison.SubmitAsync(FreezeRequests.Valid(caseNumber, 50_000.00m));
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        Assert.Equal($"/api/freezes/{submitted.Content!.FreezeId}", submitted.Headers!.Location?.OriginalString);
        var freezeId = submitted.Content.FreezeId;

        // Relayed from the event store to RabbitMQ, recorded by the saga, deadline stored in PostgreSQL.
        var awaiting = await Eventually.Until(() => Get(liaison, freezeId), v => v.Workflow?.State == "AwaitingBankExecution",
            what: "the saga to record the request");
        Assert.True(awaiting.Workflow!.AcknowledgementTimeoutScheduled);
        // The schedule leaves the saga once its state is saved (outbox), then the scheduler stores it.
        await Eventually.Until(() => Scheduled(freezeId, nameof(BankAcknowledgementDeadline)), n => n == 1, what: "the deadline to be stored");

        var executed = await liaison.RecordBankExecutionAsync(freezeId, new RecordBankExecutionRequest(
            BankExecutionOutcome.FrozenInPart, FrozenAmount: 31_250.40m, BalanceAtExecution: 31_250.40m, BankReference: "ICBC-EX-1"));
        Assert.Equal(HttpStatusCode.OK, executed.StatusCode);
        Assert.Equal("FrozenInPart", executed.Content!.Status);
        Assert.Equal(31_250.40m, executed.Content.FrozenAmount!.Amount);

        var frozen = await Eventually.Until(() => Get(liaison, freezeId), v => v.Workflow?.State == "Frozen",
            what: "the saga to see the bank result");
        Assert.False(frozen.Workflow!.AcknowledgementTimeoutScheduled);
        await Eventually.Until(() => Scheduled(freezeId, nameof(BankAcknowledgementDeadline)), n => n == 0, what: "the deadline to be cancelled");
        // The term is now running: six months from execution, reminded a week before.
        Assert.Equal(frozen.ExecutedAt!.Value.AddMonths(6), frozen.ExpiresAt);
        await Eventually.Until(() => Scheduled(freezeId, nameof(FreezeTermEnded)), n => n == 1, what: "the term end to be stored");
        Assert.Equal(1L, await Scheduled(freezeId, nameof(FreezeExpiryReminderDue)));

        Assert.Collection(frozen.History,
            requested =>
            {
                Assert.Equal("FreezeRequested", requested.Event);
                Assert.Equal("officer-li", requested.By!.Subject);
                Assert.Equal(Roles.BankLiaison, requested.By.Role);
                Assert.Contains("Proceeds of telecom fraud", requested.Summary);
            },
            result =>
            {
                Assert.Equal("FreezeExecutedByBank", result.Event);
                Assert.Equal("officer-li", result.By!.Subject);
                Assert.Contains("31250.40 CNY frozen", result.Summary);
            });
    }

    [Fact]
    public async Task The_other_three_services_each_see_the_freeze()
    {
        var liaison = _freeze.Client<IFreezeApi>(Roles.BankLiaison);
        var caseNumber = FreezeRequests.NewCaseNumber();
        var first = (await liaison.SubmitAsync(FreezeRequests.Valid(caseNumber, 1_000.00m))).Content!.FreezeId;
        var second = (await liaison.SubmitAsync(FreezeRequests.Valid(caseNumber, 2_500.50m) with { AccountNumber = "6222020200998877665" })).Content!.FreezeId;
        await liaison.RecordBankExecutionAsync(first, new RecordBankExecutionRequest(BankExecutionOutcome.FrozenInFull));
        await liaison.RecordBankExecutionAsync(second, new RecordBankExecutionRequest(
            BankExecutionOutcome.FrozenInPart, FrozenAmount: 700.25m, BalanceAtExecution: 700.25m));

        var ledger = await Eventually.Until(
            async () => (await _restitution.Client<IRestitutionApi>(Roles.Court).GetCaseLedgerAsync(caseNumber)).Content,
            l => l?.Frozen.SingleOrDefault()?.Amount == 1_700.25m, what: "the case ledger projection");
        Assert.Equal(2, ledger!.FreezesRequested);
        Assert.Equal("CNY", ledger.Frozen.Single().Currency);

        var funds = await Eventually.Until(
            async () => (await _seizure.Client<ISeizureApi>(Roles.Investigator).GetFrozenFundsAsync(caseNumber)).Content ?? [],
            f => f.Count == 2, what: "seizure to learn of both freezes");
        Assert.Equal([1_000.00m, 700.25m], funds.OrderBy(f => f.FrozenAt).Select(f => f.AvailableToSeize.Amount));

        var interception = await Eventually.Until(
            async () => (await _victimClaim.Client<IVictimClaimApi>(Roles.Investigator).GetCaseInterceptionAsync(caseNumber)).Content,
            i => i?.AccountsFrozen == 2, what: "victim-claim to learn of both freezes");
        Assert.Equal(1_700.25m, interception!.Frozen.Single().Amount);
    }

    [Fact]
    public async Task A_bad_request_is_refused_with_field_errors_and_writes_nothing()
    {
        var liaison = _freeze.Client<IFreezeApi>(Roles.BankLiaison);
        await liaison.SubmitAsync(FreezeRequests.Valid(FreezeRequests.NewCaseNumber())); // the event tables exist
        var before = await _system.CountEventsAsync();

        var response = await liaison.SubmitAsync(FreezeRequests.Valid(FreezeRequests.NewCaseNumber()) with
        {
            Currency = "CNY",
            Amount = 10.001m,
            AccountNumber = "DE89370400440532013001",
            Reason = " ",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.ErrorMediaType());
        var body = response.ErrorContent();
        Assert.Contains("\"amount\"", body);
        Assert.Contains("more decimal places than CNY allows", body);
        Assert.Contains("\"accountNumber\"", body);
        Assert.Contains("\"reason\"", body);
        Assert.Equal(before, await _system.CountEventsAsync());
    }

    [Fact]
    public async Task A_second_bank_result_is_refused_with_409_and_changes_nothing()
    {
        var liaison = _freeze.Client<IFreezeApi>(Roles.BankLiaison);
        var freezeId = (await liaison.SubmitAsync(FreezeRequests.Valid(FreezeRequests.NewCaseNumber(), 900m))).Content!.FreezeId;
        Assert.Equal(HttpStatusCode.OK,
            (await liaison.RecordBankExecutionAsync(freezeId, new RecordBankExecutionRequest(BankExecutionOutcome.FrozenInFull))).StatusCode);

        var second = await liaison.RecordBankExecutionAsync(freezeId, new RecordBankExecutionRequest(BankExecutionOutcome.Rejected, ReasonCode: "AccountClosed"));

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("freeze.already-executed", second.ErrorContent());
        var view = await Get(liaison, freezeId);
        Assert.Equal("FrozenInFull", view.Status);
        Assert.Equal(2, view.History.Count);
    }

    [Fact]
    public async Task Roles_and_tokens_are_enforced()
    {
        var request = FreezeRequests.Valid(FreezeRequests.NewCaseNumber());

        var anonymous = await _freeze.HttpClient().PostAsJsonAsync("/api/freezes", request);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var court = await _freeze.Client<IFreezeApi>(Roles.Court).SubmitAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, court.StatusCode);
        Assert.Equal("application/problem+json", court.ErrorMediaType());

        var expired = DevelopmentTokens.Create(Roles.BankLiaison, "officer", lifetime: TimeSpan.FromMinutes(5), now: DateTimeOffset.UtcNow.AddHours(-1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await _freeze.HttpClient(expired).PostAsJsonAsync("/api/freezes", request)).StatusCode);

        // Signed correctly, but it does not say who it is: nothing can be recorded in its name.
        var anonymousSigned = new System.IdentityModel.Tokens.Jwt.JwtSecurityTokenHandler().WriteToken(new System.IdentityModel.Tokens.Jwt.JwtSecurityToken(
            DevelopmentTokens.Issuer, DevelopmentTokens.Audience, [new System.Security.Claims.Claim(JwtClaims.Role, Roles.BankLiaison)],
            DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(10), new Microsoft.IdentityModel.Tokens.SigningCredentials(
                new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(DevelopmentTokens.SigningKey)),
                Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256)));
        var noSubject = await _freeze.HttpClient(anonymousSigned).PostAsJsonAsync("/api/freezes", request);
        Assert.Equal(HttpStatusCode.Forbidden, noSubject.StatusCode);
        Assert.Contains("names no subject", await noSubject.Content.ReadAsStringAsync());

        var forged = DevelopmentTokens.Create(Roles.BankLiaison, "officer")[..^4] + "AAAA";
        Assert.Equal(HttpStatusCode.Unauthorized, (await _freeze.HttpClient(forged).PostAsJsonAsync("/api/freezes", request)).StatusCode);

        // Only the bank liaison records what the bank did.
        var investigator = _freeze.Client<IFreezeApi>(Roles.Investigator);
        var freezeId = (await investigator.SubmitAsync(request)).Content!.FreezeId;
        Assert.Equal(HttpStatusCode.Forbidden,
            (await investigator.RecordBankExecutionAsync(freezeId, new RecordBankExecutionRequest(BankExecutionOutcome.FrozenInFull))).StatusCode);

        // Investigators renew, release and hand over; nobody else does. Court and Victim neither submit nor read freezes.
        var release = new ReleaseFreezeRequest("r", "DOC");
        var renewal = new RenewFreezeRequest("DOC", "r");
        foreach (var role in new[] { Roles.BankLiaison, Roles.Court, Roles.Victim })
        {
            var api = _freeze.Client<IFreezeApi>(role);
            Assert.Equal(HttpStatusCode.Forbidden, (await api.ReleaseAsync(freezeId, release)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await api.RenewAsync(freezeId, renewal)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await api.HandOverToSeizureAsync(freezeId, release)).StatusCode);
        }
        foreach (var role in new[] { Roles.Court, Roles.Victim })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await _freeze.Client<IFreezeApi>(role).GetAsync(freezeId)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await _freeze.Client<IFreezeApi>(role).ListByCaseAsync(request.CaseNumber!)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden,
                (await _freeze.Client<IFreezeBatchApi>(role).SubmitAsync(new SubmitFreezeBatchRequest([request]))).StatusCode);
        }
    }

    [Fact]
    public async Task A_bank_liaison_officer_acts_only_on_freezes_of_their_own_bank()
    {
        IFreezeApi Liaison(string bank) => AssetRecovery.Clients.ApiClients.Create<IFreezeApi>(_freeze.CreateClient(),
            DevelopmentTokens.Create(Roles.BankLiaison, $"officer-{bank}", extraClaims: [new System.Security.Claims.Claim(JwtClaims.BankCode, bank)]));
        var icbc = Liaison("ICBC");
        var abc = Liaison("ABC");
        var freezeId = (await icbc.SubmitAsync(FreezeRequests.Valid(FreezeRequests.NewCaseNumber()))).Content!.FreezeId;

        var foreignSubmit = await abc.SubmitAsync(FreezeRequests.Valid(FreezeRequests.NewCaseNumber()));
        Assert.Equal(HttpStatusCode.Forbidden, foreignSubmit.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await abc.GetAsync(freezeId)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await abc.RecordBankExecutionAsync(freezeId, new RecordBankExecutionRequest(BankExecutionOutcome.Rejected, ReasonCode: "AccountClosed"))).StatusCode);

        Assert.Equal(HttpStatusCode.OK,
            (await icbc.RecordBankExecutionAsync(freezeId, new RecordBankExecutionRequest(BankExecutionOutcome.FrozenInFull))).StatusCode);
        Assert.Equal("FrozenInFull", (await _freeze.Client<IFreezeApi>(Roles.Investigator).GetAsync(freezeId)).Content!.Status);
    }

    [Fact]
    public async Task A_token_from_deploy_token_sh_is_accepted()
    {
        var script = Path.Combine(ServiceProcess.RepositoryRoot(), "deploy", "token.sh");
        var start = new System.Diagnostics.ProcessStartInfo("bash", [script, "Investigator", "inspector-wu"]) { RedirectStandardOutput = true };
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        using var process = System.Diagnostics.Process.Start(start)!;
        var token = (await process.StandardOutput.ReadToEndAsync()).Trim();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);

        var response = await _freeze.HttpClient(token).PostAsJsonAsync("/api/freezes", FreezeRequests.Valid(FreezeRequests.NewCaseNumber()));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Health_and_openapi_are_served()
    {
        foreach (var client in new[] { _freeze.HttpClient(), _seizure.HttpClient(), _restitution.HttpClient(), _victimClaim.HttpClient() })
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
            var ready = await client.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
            var openApi = await client.GetStringAsync("/swagger/v1/swagger.json");
            Assert.Contains("\"Bearer\"", openApi);
        }
        Assert.Contains("/api/freezes/{freezeId}/bank-execution", await _freeze.HttpClient().GetStringAsync("/swagger/v1/swagger.json"));
    }

    private static async Task<FreezeView> Get(IFreezeApi api, Guid freezeId)
    {
        var response = await api.GetAsync(freezeId);
        return response.Content ?? throw new InvalidOperationException($"GET freeze answered {response.StatusCode}");
    }

    private Task<long> Scheduled(Guid freezeId, string messageType) =>
        _system.ScalarAsync<long>(
            $"SELECT count(*) FROM {_system.SchedulerSchema}.scheduled_messages WHERE body LIKE @id AND message_types[1] LIKE @type",
            ("id", $"%{freezeId}%"), ("type", $"%:{messageType}"));
}
