using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AssetRecovery.Freeze;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.Restitution;
using AssetRecovery.Seizure;
using AssetRecovery.ServiceDefaults;
using AssetRecovery.VictimClaim;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AssetRecovery.IntegrationTests.Security;

/// <summary>A running service of any kind, so one test can be a theory over the four.</summary>
public sealed record RunningService(string Name, Func<HttpClient> CreateClient, IServiceProvider Services)
{
    public HttpClient Client(string? role, string subject = "security-tester")
    {
        var client = CreateClient();
        if (role is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(role, subject));
        return client;
    }

    /// <summary>A token for the role; a bank liaison officer works for a bank, as the freeze and payment rules expect.</summary>
    public static string Token(string role, string subject = "security-tester") => DevelopmentTokens.Create(role, subject,
        extraClaims: role == Roles.BankLiaison ? [new Claim(JwtClaims.BankCode, "ICBC")] : null);

    public static RunningService Start(TestSystem system, string service, IDictionary<string, string?>? extra = null,
        Action<IServiceCollection>? configureServices = null) => service switch
    {
        "freeze" => From(service, system.Start<FreezeService>(service, extra, configureServices)),
        "seizure" => From(service, system.Start<SeizureService>(service, extra, configureServices)),
        "restitution" => From(service, system.Start<RestitutionService>(service, extra, configureServices)),
        "victim-claim" => From(service, system.Start<VictimClaimService>(service, extra, configureServices)),
        _ => throw new ArgumentOutOfRangeException(nameof(service), service, null),
    };

    private static RunningService From<T>(string name, ServiceHost<T> host) where T : class => new(name, host.CreateClient, host.Services);
}

/// <summary>One operation of a service's OpenAPI document, with its schema and the roles its endpoint demands.</summary>
public sealed record ApiOperation(string Method, string Path, JsonObject Operation, JsonObject Document, IReadOnlyList<string>? Roles)
{
    /// <summary>"POST /api/freezes/{freezeId}/release": how the role table names it.</summary>
    public string Key => $"{Method} {Path}";

    public bool IsAnonymous => Roles is null;

    public IEnumerable<JsonObject> Parameters => (Operation["parameters"] as JsonArray ?? []).OfType<JsonObject>();

    /// <summary>The JSON schema of the body, with $refs left to <see cref="Resolve"/>; null when the operation takes no JSON body.</summary>
    public JsonObject? BodySchema => Operation["requestBody"]?["content"]?["application/json"]?["schema"] as JsonObject;

    public bool AcceptsCsv => Operation["requestBody"]?["content"]?["text/csv"] is not null;

    public JsonObject Resolve(JsonObject schema)
    {
        while (schema["$ref"]?.GetValue<string>() is { } reference)
            schema = (JsonObject)Document["components"]!["schemas"]![reference.Split('/')[^1]]!;
        return schema;
    }

    /// <summary>The path with plausible values in place of its parameters (GUIDs for GUIDs), so the route matches.</summary>
    public string SamplePath(Func<string, JsonObject, string?>? overrideParameter = null)
    {
        var path = Path;
        foreach (var parameter in Parameters.Where(p => p["in"]?.GetValue<string>() == "path"))
        {
            var name = parameter["name"]!.GetValue<string>();
            var value = overrideParameter?.Invoke(name, parameter) ?? SampleValue(name, parameter);
            path = path.Replace("{" + name + "}", Uri.EscapeDataString(value));
        }
        return path;
    }

    private static string SampleValue(string name, JsonObject parameter) =>
        parameter["schema"]?["format"]?.GetValue<string>() == "uuid" ? Guid.NewGuid().ToString()
        : name switch
        {
            "caseNumber" => "SZ-2026-000001",
            "bankCode" => "ICBC",
            "accountNumber" => "6222020200112233445",
            _ => "A",
        };
}

public static class ApiSurface
{
    public const string Anonymous = "(anonymous)";
    public static readonly string[] AllRoles = [Roles.BankLiaison, Roles.Investigator, Roles.Court, Roles.Victim];
    public static readonly string[] Services = ["freeze", "seizure", "restitution", "victim-claim"];

    /// <summary>Every operation the service's OpenAPI document lists, with the roles its endpoint metadata demands.</summary>
    public static async Task<IReadOnlyList<ApiOperation>> OperationsAsync(RunningService service)
    {
        using var client = service.CreateClient();
        // The document's path as OpenApi.cs/Swashbuckle publish it.
        var response = await client.GetAsync("/swagger/v1/swagger.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        var endpoints = service.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        var operations = new List<ApiOperation>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        foreach (var (method, operation) in item!.AsObject())
        {
            var verb = method.ToUpperInvariant();
            var endpoint = endpoints.SingleOrDefault(e => Normalize(e.RoutePattern.RawText) == Normalize(path)
                                                          && e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains(verb) == true)
                           ?? throw new InvalidOperationException($"No endpoint for {verb} {path} in {service.Name}.");
            operations.Add(new ApiOperation(verb, path, operation!.AsObject(), document, RolesOf(endpoint)));
        }
        Assert.NotEmpty(operations);
        return operations;
    }

    /// <summary>Null for an anonymous endpoint; otherwise the roles of its role policies (empty: any signed-in caller).</summary>
    private static IReadOnlyList<string>? RolesOf(Endpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null) return null;
        return endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>()
            .SelectMany(p => p.Requirements.OfType<RolesAuthorizationRequirement>())
            .SelectMany(r => r.AllowedRoles).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    private static string Normalize(string? pattern)
    {
        var text = System.Text.RegularExpressions.Regex.Replace(pattern ?? "", @"\{([^}:?]+)[^}]*\}", "{$1}");
        return "/" + text.Trim('/');
    }

    public static StringContent Json(string json, string mediaType = "application/json") => new(json, Encoding.UTF8, mediaType);

    public static HttpRequestMessage Request(string method, string path, HttpContent? content = null) =>
        new(new HttpMethod(method), path) { Content = content };

    /// <summary>An error answer must be a ProblemDetails document whose status matches the response's.</summary>
    public static async Task AssertProblemAsync(HttpResponseMessage response, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
            $"{what}: {(int)response.StatusCode} answered as '{response.Content.Headers.ContentType}', not application/problem+json: {Shorten(body)}");
        using var problem = JsonDocument.Parse(body);
        Assert.True(problem.RootElement.TryGetProperty("status", out var status) && status.GetInt32() == (int)response.StatusCode,
            $"{what}: the ProblemDetails status does not match {(int)response.StatusCode}: {Shorten(body)}");
        Assert.True(problem.RootElement.TryGetProperty("title", out _), $"{what}: the ProblemDetails has no title: {Shorten(body)}");
    }

    /// <summary>A 403 from the role policy (rule "role"), as opposed to a 403 about one resource.</summary>
    public static async Task<bool> IsRoleRefusalAsync(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Forbidden
        && await response.Content.ReadAsStringAsync() is { Length: > 0 } body
        && JsonNode.Parse(body)?["rule"]?.GetValue<string>() == "role";

    public static string Shorten(string text) => text.Length <= 400 ? text : text[..400] + "…";

    /// <summary>A stable seed from a text (string.GetHashCode differs between runs).</summary>
    public static int Seed(string text) => text.Aggregate(17, (hash, c) => unchecked(hash * 31 + c));
}
