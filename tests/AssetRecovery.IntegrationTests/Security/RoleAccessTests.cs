using System.Net;
using AssetRecovery.IntegrationTests.Infrastructure;
using static AssetRecovery.ServiceDefaults.Roles;

namespace AssetRecovery.IntegrationTests.Security;

/// <summary>
/// The role × endpoint table in full: every operation of every OpenAPI document must have an entry here (a new endpoint
/// without one fails), its endpoint must demand exactly these roles, and each role and an anonymous caller are tried
/// against it: anonymous 401, a role not listed 403 (a role refusal, not 404 or 500), a listed role gets past the policy.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class RoleAccessTests(Infrastructure.Infrastructure infrastructure) : IAsyncLifetime
{
    /// <summary>Who may do what; null = anonymous (the portal's public configuration and development sign-in).</summary>
    private static readonly Dictionary<string, Dictionary<string, string[]?>> Table = new()
    {
        ["freeze"] = new()
        {
            ["POST /api/freezes"] = [BankLiaison, Investigator],
            ["GET /api/freezes"] = [BankLiaison, Investigator],
            ["GET /api/freezes/{freezeId}"] = [BankLiaison, Investigator],
            ["POST /api/freezes/{freezeId}/bank-execution"] = [BankLiaison],
            ["POST /api/freezes/{freezeId}/renewal"] = [Investigator],
            ["POST /api/freezes/{freezeId}/release"] = [Investigator],
            ["POST /api/freezes/{freezeId}/handover-to-seizure"] = [Investigator],
            ["GET /api/freezes/expiring"] = [BankLiaison, Investigator],
            ["GET /api/freezes/overdue-acknowledgements"] = [BankLiaison, Investigator],
            ["GET /api/accounts/{bankCode}/{accountNumber}/holds"] = [BankLiaison, Investigator],
            ["POST /api/freeze-batches"] = [BankLiaison, Investigator],
            ["GET /api/freeze-batches/{batchId}"] = [BankLiaison, Investigator],
            ["GET /api/freeze-batches/{batchId}/rows"] = [BankLiaison, Investigator],
            ["POST /api/cases/{caseNumber}/transactions"] = [Investigator],
            ["POST /api/cases/{caseNumber}/traces"] = [Investigator],
            ["GET /api/traces/{traceId}"] = [Investigator],
            ["GET /api/traces/{traceId}/victims/{victimId}"] = [Investigator],
            ["GET /api/traces/{traceId}/export"] = [Investigator],
            ["GET /api/traces/{traceId}/flow.svg"] = [Investigator],
            ["POST /api/traces/{traceId}/freeze-requests"] = [Investigator],
        },
        ["seizure"] = new()
        {
            ["POST /api/assets"] = [Investigator],
            ["GET /api/assets"] = [Court, Investigator],
            ["GET /api/assets/{assetId}"] = [Court, Investigator],
            ["POST /api/assets/{assetId}/valuations"] = [Investigator],
            ["POST /api/assets/{assetId}/disposal"] = [Investigator],
            ["POST /api/assets/{assetId}/return-to-owner"] = [Investigator],
            ["GET /api/cases/{caseNumber}/assets"] = [Court, Investigator],
            ["GET /api/cases/{caseNumber}/frozen-funds"] = [Court, Investigator],
            ["POST /api/frozen-funds/{freezeId}/seizures"] = [Investigator],
            ["GET /api/seizures/{seizureId}"] = [Court, Investigator],
            ["GET /api/cases/{caseNumber}/seizures"] = [Court, Investigator],
            ["GET /api/cases/{caseNumber}/recovery-pool"] = [Court, Investigator],
            ["GET /api/cases/{caseNumber}/recovery-pool/movements"] = [Court, Investigator],
        },
        ["restitution"] = new()
        {
            ["PUT /api/cases/{caseNumber}/restitution-order"] = [Court],
            ["GET /api/cases/{caseNumber}/restitution-order"] = [Court, Investigator],
            ["GET /api/cases/{caseNumber}/restitution-order/victims"] = [Court, Investigator],
            ["POST /api/cases/{caseNumber}/distribution-rounds"] = [Investigator],
            ["GET /api/cases/{caseNumber}/distribution-rounds"] = [Court, Investigator],
            ["GET /api/cases/{caseNumber}/distribution-rounds/{roundId}/allocations"] = [Court, Investigator],
            ["GET /api/cases/{caseNumber}/payments"] = [BankLiaison, Court, Investigator],
            ["POST /api/payments/{paymentId}/confirmation"] = [BankLiaison],
            ["POST /api/payments/{paymentId}/failure"] = [BankLiaison],
            ["POST /api/payments/{paymentId}/reinstruction"] = [Investigator],
            ["GET /api/cases/{caseNumber}/ledger"] = [Court, Investigator],
            ["GET /api/cases/{caseNumber}/reconciliation"] = [Court, Investigator],
            ["GET /api/cases/{caseNumber}/recovery-report.csv"] = [Court, Investigator],
            ["GET /api/cases/{caseNumber}/recovery-report"] = [Court, Investigator],
            ["PUT /api/cases/{caseNumber}/auto-distribution"] = [Investigator],
            ["GET /api/cases/{caseNumber}/recovery"] = [Court, Investigator],
            ["POST /api/cases/{caseNumber}/pre-trial-returns"] = [Investigator],
            ["GET /api/cases/{caseNumber}/pre-trial-returns"] = [BankLiaison, Court, Investigator],
            ["GET /api/pre-trial-returns/{returnId}"] = [BankLiaison, Court, Investigator],
            ["POST /api/pre-trial-returns/{returnId}/fund-flow-table"] = [Investigator],
            ["POST /api/pre-trial-returns/{returnId}/decision"] = [Investigator],
            ["POST /api/pre-trial-returns/{returnId}/objections"] = [Investigator, Victim],
            ["POST /api/pre-trial-returns/{returnId}/objections/{objectionId}/resolution"] = [Investigator],
            ["POST /api/pre-trial-returns/{returnId}/approval"] = [Investigator],
            ["POST /api/pre-trial-returns/{returnId}/receipt"] = [BankLiaison],
        },
        ["victim-claim"] = new()
        {
            ["POST /api/claims"] = [Victim],
            ["GET /api/claims"] = [Investigator, Victim],
            ["GET /api/claims/{claimId}"] = [Investigator, Victim],
            ["GET /api/claims/{claimId}/notifications"] = [Investigator, Victim],
            ["POST /api/claims/{claimId}/information"] = [Victim],
            ["POST /api/claims/{claimId}/reconsideration"] = [Victim],
            ["POST /api/claims/{claimId}/return-account"] = [Victim],
            ["POST /api/claims/{claimId}/case-link"] = [Investigator],
            ["POST /api/claims/{claimId}/information-request"] = [Investigator],
            ["POST /api/claims/{claimId}/approval"] = [Investigator],
            ["POST /api/claims/{claimId}/denial"] = [Investigator],
            ["GET /api/cases/{caseNumber}/interception"] = [Investigator],
            ["GET /portal/api/config"] = null,
            ["POST /portal/api/dev-sign-in"] = null,
        },
    };

    private TestSystem _system = null!;

    public async Task InitializeAsync() => _system = await TestSystem.StartAsync(infrastructure);

    public async Task DisposeAsync() => await _system.DisposeAsync();

    public static TheoryData<string> Services() => new(ApiSurface.Services);

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Every_operation_has_an_entry_in_the_role_table_and_its_endpoint_demands_exactly_those_roles(string service)
    {
        var operations = await ApiSurface.OperationsAsync(RunningService.Start(_system, service));
        var table = Table[service];

        Assert.Empty(operations.Select(o => o.Key).Except(table.Keys).Select(k => $"{k}: add it to the role table"));
        Assert.Empty(table.Keys.Except(operations.Select(o => o.Key)).Select(k => $"{k}: in the table, not in the OpenAPI document"));
        foreach (var operation in operations)
        {
            var expected = table[operation.Key];
            Assert.True(expected is null == operation.IsAnonymous, $"{operation.Key}: anonymous is {operation.IsAnonymous}, the table says {expected is null}");
            if (expected is null) continue;
            // An endpoint protected only by the fallback policy would let every role in: each must name its roles.
            Assert.True(operation.Roles!.Count > 0, $"{operation.Key} names no roles: any signed-in caller would reach it");
            Assert.Equal(expected.Order(StringComparer.Ordinal), operation.Roles);
        }
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Each_role_reaches_only_its_operations_and_an_anonymous_caller_none(string service)
    {
        var running = RunningService.Start(_system, service);
        var operations = await ApiSurface.OperationsAsync(running);
        var eventsBefore = await _system.CountEventsAsync();
        var refused = 0;

        foreach (var operation in operations)
        foreach (var role in ApiSurface.AllRoles.Append(ApiSurface.Anonymous))
        {
            using var client = running.Client(role == ApiSurface.Anonymous ? null : role);
            using var request = ApiSurface.Request(operation.Method, operation.SamplePath(),
                operation.Method is "POST" or "PUT" ? ApiSurface.Json("{}") : null);
            using var response = await client.SendAsync(request);
            var what = $"{role} → {operation.Key}";
            Assert.True((int)response.StatusCode < 500, $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");

            if (operation.IsAnonymous)
            {
                Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
                Assert.False(await ApiSurface.IsRoleRefusalAsync(response), what);
            }
            else if (role == ApiSurface.Anonymous)
            {
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{what}: {(int)response.StatusCode}");
                Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
                await ApiSurface.AssertProblemAsync(response, what);
                refused++;
            }
            else if (operation.Roles!.Contains(role))
            {
                Assert.True(response.StatusCode != HttpStatusCode.Unauthorized && !await ApiSurface.IsRoleRefusalAsync(response),
                    $"{what}: an allowed role was refused: {(int)response.StatusCode}");
            }
            else
            {
                Assert.True(await ApiSurface.IsRoleRefusalAsync(response),
                    $"{what}: expected a 403 role refusal, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                await ApiSurface.AssertProblemAsync(response, what);
                refused++;
            }
        }

        Assert.True(refused > operations.Count, $"only {refused} refusals over {operations.Count} operations");
        // The bodies were empty objects: whatever got past the policy was invalid, so nothing may have been written.
        Assert.Equal(eventsBefore, await _system.CountEventsAsync());
    }
}
