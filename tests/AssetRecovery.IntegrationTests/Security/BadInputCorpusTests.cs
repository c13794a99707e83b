using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AssetRecovery.IntegrationTests.Freeze;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.IntegrationTests.VictimClaim;
using static AssetRecovery.ServiceDefaults.Roles;

namespace AssetRecovery.IntegrationTests.Security;

/// <summary>
/// Malformed and hostile requests to every endpoint that takes a body (from the OpenAPI document, so a new one is
/// covered), plus field-level attacks on the main intakes: each must be answered 4xx ProblemDetails, never 5xx, and
/// write no event.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class BadInputCorpusTests(Infrastructure.Infrastructure infrastructure) : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    private TestSystem _system = null!;

    public async Task InitializeAsync() => _system = await TestSystem.StartAsync(infrastructure);

    public async Task DisposeAsync() => await _system.DisposeAsync();

    public static TheoryData<string> Services() => new(ApiSurface.Services);

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Every_hostile_request_is_refused_4xx_ProblemDetails_and_writes_nothing(string service)
    {
        var running = RunningService.Start(_system, service);
        var operations = await ApiSurface.OperationsAsync(running);
        var corpus = new List<Hostile>();
        foreach (var operation in operations.Where(o => o.BodySchema is not null || o.AcceptsCsv))
            corpus.AddRange(MalformedBodies(operation));
        corpus.AddRange(await FieldAttacksAsync(service, running));

        var eventsBefore = await _system.CountEventsAsync();
        var failures = new List<string>();
        foreach (var hostile in corpus)
        {
            using var client = running.Client(hostile.Role);
            using var request = ApiSurface.Request(hostile.Method, hostile.Path, hostile.Content());
            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            var what = $"{hostile.Method} {hostile.Path} [{hostile.Name}]";
            if (status is < 400 or >= 500)
            {
                failures.Add($"{what}: {status} {ApiSurface.Shorten(await response.Content.ReadAsStringAsync())}");
                continue;
            }
            try { await ApiSurface.AssertProblemAsync(response, what); }
            catch (Exception e) { failures.Add(e.Message); }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {corpus.Count} hostile requests were not refused properly:\n" +
                                         string.Join("\n", failures));
        Assert.Equal(eventsBefore, await _system.CountEventsAsync());
    }

    private sealed record Hostile(string Name, string Method, string Path, string? Role, Func<HttpContent?> Content);

    /// <summary>Bodies no endpoint may accept: not JSON, the wrong JSON, too deep, too large, the wrong media type.</summary>
    private static IEnumerable<Hostile> MalformedBodies(ApiOperation operation)
    {
        var path = operation.SamplePath();
        var role = operation.Roles?[0]; // null: an anonymous endpoint
        Hostile Make(string name, Func<HttpContent?> content) => new(name, operation.Method, path, role, content);

        yield return Make("no body", () => null);
        yield return Make("empty JSON body", () => ApiSurface.Json(""));
        yield return Make("truncated JSON", () => ApiSurface.Json("{\"a\":"));
        yield return Make("JSON null", () => ApiSurface.Json("null"));
        yield return Make("JSON array", () => ApiSurface.Json("[1,2,3]"));
        yield return Make("JSON string", () => ApiSurface.Json("\"x\""));
        yield return Make("JSON number", () => ApiSurface.Json("42"));
        yield return Make("JSON with comments", () => ApiSurface.Json("/* hi */ {}"));
        yield return Make("trailing garbage", () => ApiSurface.Json("{} {}"));
        yield return Make("deeply nested objects", () => ApiSurface.Json(string.Concat(Enumerable.Repeat("{\"a\":", 5000)) + "1" + new string('}', 5000)));
        yield return Make("deeply nested arrays", () => ApiSurface.Json(new string('[', 100_000) + new string(']', 100_000)));
        yield return Make("invalid UTF-8", () => new ByteArrayContent([0x7B, 0x22, 0xC3, 0x28, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D])
            { Headers = { ContentType = new("application/json") } });
        yield return Make("text/plain", () => ApiSurface.Json("{}", "text/plain"));
        yield return Make("XML", () => ApiSurface.Json("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>", "application/xml"));
        yield return Make("form post", () => new FormUrlEncodedContent([new("amount", "1")]));
        // 2 MB: over the 1 MB default; for bulk uploads (32 MB) it is simply not valid JSON.
        yield return Make("oversized", () => ApiSurface.Json("{\"x\":\"" + new string('A', 2 * 1024 * 1024) + "\""));
        yield return Make("oversized, no Content-Length", () =>
            new StreamContent(new ChunkedOnly(Encoding.UTF8.GetBytes("[\"" + new string('B', 2 * 1024 * 1024) + "\"")))
            { Headers = { ContentType = new("application/json") } });
        if (operation.AcceptsCsv)
        {
            yield return Make("empty CSV", () => ApiSurface.Json("", "text/csv"));
            yield return Make("CSV header only", () => ApiSurface.Json("a,b,c\n", "text/csv"));
            yield return Make("CSV without its columns", () => ApiSurface.Json("foo,bar\n1,2\n3,4\n", "text/csv"));
            yield return Make("CSV binary garbage", () => new ByteArrayContent([0, 1, 2, 0xFF, 0xFE, 0x0A, 0x00, 0x2C])
                { Headers = { ContentType = new("text/csv") } });
        }
    }

    /// <summary>Field-level attacks on each service's intakes, starting from a valid request and breaking one thing.</summary>
    private async Task<IEnumerable<Hostile>> FieldAttacksAsync(string service, RunningService running)
    {
        switch (service)
        {
            case "freeze":
            {
                var valid = JsonSerializer.SerializeToNode(FreezeRequests.Valid("SZ-2026-100001"), Web)!.AsObject();
                var attacks = Mutations(valid, FreezeAttacks).Select(m => Post(m.Name, "/api/freezes", BankLiaison, m.Body)).ToList();
                // A real freeze, so the bank's answer is checked for itself and not just for a missing freeze.
                using var liaison = running.Client(BankLiaison);
                var created = await liaison.PostAsJsonAsync("/api/freezes", FreezeRequests.Valid("SZ-2026-100002"), Web);
                Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
                var freezeId = (await created.Content.ReadFromJsonAsync<JsonObject>())!["freezeId"]!.GetValue<string>();
                var execution = new JsonObject { ["outcome"] = "FrozenInFull", ["frozenAmount"] = 50000.00m, ["balanceAtExecution"] = 50000.00m };
                attacks.AddRange(Mutations(execution, [
                    ("outcome", "Stolen"), ("outcome", 99), ("frozenAmount", -1), ("frozenAmount", 0.001), ("frozenAmount", "1e400"),
                    ("frozenAmount", 1e30), ("balanceAtExecution", "lots"), ("executedAt", "yesterday"), ("executedAt", "9999-99-99"),
                ]).Select(m => Post(m.Name, $"/api/freezes/{freezeId}/bank-execution", BankLiaison, m.Body)));
                var release = new JsonObject { ["reason"] = "court order", ["documentReference"] = "DOC-1" };
                attacks.AddRange(Mutations(release, [("amount", -5), ("amount", 0), ("amount", 0.001), ("reason", new string('r', 5000)), ("reason", null)])
                    .Select(m => Post(m.Name, $"/api/freezes/{freezeId}/release", Investigator, m.Body)));
                attacks.AddRange(Mutations(new JsonObject { ["legalDocumentReference"] = "DOC-2", ["reason"] = "renew" },
                        [("termMonths", -1), ("termMonths", 0), ("termMonths", 100000), ("termMonths", 1.5), ("termMonths", "six")])
                    .Select(m => Post(m.Name, $"/api/freezes/{freezeId}/renewal", Investigator, m.Body)));
                attacks.Add(Csv("batch CSV: unclosed quote", "/api/freeze-batches", BankLiaison, "caseNumber,kind\n\"SZ-1,Freeze\n"));
                attacks.Add(Csv("import CSV: unclosed quote", "/api/cases/SZ-2026-100001/transactions", Investigator,
                    "transaction_id,timestamp,amount,currency,channel\n\"T1,2026-03-01T09:00:00Z,1,CNY,Transfer\n"));
                // PostgreSQL cannot store NUL: it must be refused, not reach a bulk insert (it was a 500).
                attacks.Add(Csv("batch CSV: NUL in a cell", "/api/freeze-batches", BankLiaison,
                    "caseNumber,kind,bankCode,accountNumber,accountHolderName,currency,amount,legalDocumentReference,reason\n" +
                    "SZ-1,Freeze,ICBC,6222020200112233445,Zhang\0San,CNY,1.00,DOC-1,fraud\n"));
                var nulRow = JsonSerializer.SerializeToNode(FreezeRequests.Valid("SZ-2026-100001") with { AccountHolderName = "Zhang\0San" }, Web)!;
                attacks.Add(Post("batch JSON: NUL in a field", "/api/freeze-batches", BankLiaison, new JsonObject { ["requests"] = new JsonArray(nulRow) }));
                attacks.Add(Get("list: NUL in the case number", "/api/freezes?caseNumber=SZ%00-1", BankLiaison));
                attacks.Add(Post("batch: no rows", "/api/freeze-batches", BankLiaison, new JsonObject { ["requests"] = new JsonArray() }));
                attacks.Add(Post("batch: rows not a list", "/api/freeze-batches", BankLiaison, new JsonObject { ["requests"] = "all of them" }));
                attacks.Add(Post("import: no rows", "/api/cases/SZ-2026-100001/transactions", Investigator, new JsonObject { ["transactions"] = new JsonArray() }));
                attacks.Add(Get("holds: page is not a number", "/api/freezes/expiring?page=abc", BankLiaison));
                attacks.Add(Get("list: no case number", "/api/freezes", BankLiaison));
                return attacks;
            }
            case "victim-claim":
            {
                var valid = JsonSerializer.SerializeToNode(ClaimRequests.Valid(), Web)!.AsObject();
                var attacks = Mutations(valid, ClaimAttacks).Select(m => Post(m.Name, "/api/claims", Victim, m.Body)).ToList();
                foreach (var (name, amount) in new (string, JsonNode?)[] { ("negative", -600), ("zero", 0), ("too many decimals", 600.001), ("huge", 1e15), ("not a number", "six hundred") })
                {
                    var body = valid.DeepClone().AsObject();
                    body["payments"]![0]!["amount"] = amount;
                    attacks.Add(Post($"payment amount {name}", "/api/claims", Victim, body));
                }
                var unknownCurrency = valid.DeepClone().AsObject();
                unknownCurrency["payments"]![0]!["currency"] = "XYZ";
                attacks.Add(Post("payment in an unknown currency", "/api/claims", Victim, unknownCurrency));
                var tooMany = valid.DeepClone().AsObject();
                tooMany["payments"] = new JsonArray(Enumerable.Range(0, 201).Select(_ => valid["payments"]![0]!.DeepClone()).ToArray());
                attacks.Add(Post("201 payments", "/api/claims", Victim, tooMany));
                attacks.Add(Post("sign-in: no subject", "/portal/api/dev-sign-in", null, new JsonObject { ["subject"] = "" }));
                attacks.Add(Post("sign-in: control characters", "/portal/api/dev-sign-in", null, new JsonObject { ["subject"] = "a\u0000b" }));
                attacks.Add(Get("list: page size huge", "/api/claims?pageSize=100000000", Victim));
                attacks.Add(Get("list: page negative", "/api/claims?page=-1", Victim));
                return attacks;
            }
            case "restitution":
            {
                var order = new JsonObject
                {
                    ["court"] = "Shenzhen Intermediate People's Court", ["judgmentNumber"] = "(2026) Yue 03 Xing Chu 1", ["judgmentDate"] = "2026-05-01",
                    ["defendants"] = new JsonArray("Wang Wu"), ["currency"] = "CNY", ["policy"] = "ProRata",
                    ["victims"] = new JsonArray(new JsonObject { ["claimId"] = Guid.NewGuid(), ["name"] = "Li Hua", ["orderedAmount"] = 600.00m }),
                };
                var attacks = Mutations(order, [
                    ("currency", "XYZ"), ("currency", "ＣＮＹ"), ("policy", "Whatever"), ("policy", 42), ("judgmentDate", "2026-13-45"),
                    ("judgmentDate", 20260501), ("victims", new JsonArray()), ("victims", "everyone"), ("defendants", null), ("court", ""),
                ]).Select(m => Put(m.Name, "/api/cases/SZ-2026-100003/restitution-order", Court, m.Body)).ToList();
                foreach (var (name, amount) in new (string, JsonNode?)[] { ("negative", -1), ("zero", 0), ("too many decimals", 1.001), ("huge", 1e30) })
                {
                    var body = order.DeepClone().AsObject();
                    body["victims"]![0]!["orderedAmount"] = amount;
                    attacks.Add(Put($"ordered amount {name}", "/api/cases/SZ-2026-100003/restitution-order", Court, body));
                }
                attacks.AddRange(Mutations(new JsonObject { ["amount"] = 100.00m, ["reference"] = "R1" },
                        [("amount", -100), ("amount", 0), ("amount", 0.001), ("amount", 1e30), ("amount", "all")])
                    .Select(m => Post(m.Name, "/api/cases/SZ-2026-100003/distribution-rounds", Investigator, m.Body)));
                attacks.Add(Get("order's victims: page is not a number", "/api/cases/SZ-2026-100003/restitution-order/victims?page=abc", Court));
                attacks.Add(Get("order's victims: page size huge", "/api/cases/SZ-2026-100003/restitution-order/victims?pageSize=100000000", Court));
                return attacks;
            }
            case "seizure":
            {
                var asset = new JsonObject
                {
                    ["caseNumber"] = "SZ-2026-100004", ["type"] = "Vehicle", ["description"] = "BYD Han, white",
                    ["owner"] = new JsonObject { ["name"] = "Wang Wu", ["idNumber"] = "440301199001011234" },
                    ["legalDocumentReference"] = "SZPD-SEZ-1", ["reason"] = "bought with victims' money",
                };
                var attacks = Mutations(asset, [
                    ("type", "Spaceship"), ("type", 999), ("caseNumber", null), ("caseNumber", new string('9', 65)), ("owner", "nobody"),
                    ("caseNumber", "SZ-1\u0000"), ("reason", null),
                ]).Select(m => Post(m.Name, "/api/assets", Investigator, m.Body)).ToList();
                attacks.AddRange(Mutations(new JsonObject { ["legalDocumentReference"] = "SZ-SEIZE-1", ["reason"] = "court order" },
                        [("amount", -1), ("amount", 0), ("amount", 0.001), ("amount", 1e30), ("amount", "half")])
                    .Select(m => Post(m.Name, $"/api/frozen-funds/{Guid.NewGuid()}/seizures", Investigator, m.Body)));
                attacks.Add(Get("assets: unknown type", "/api/assets?type=Spaceship", Investigator));
                return attacks;
            }
            default: throw new ArgumentOutOfRangeException(nameof(service));
        }
    }

    /// <summary>Field attacks on a freeze request: missing, wrong type, out of range, hostile strings, unicode tricks.</summary>
    private static readonly (string Field, JsonNode? Value)[] FreezeAttacks =
    [
        ("caseNumber", null), ("kind", null), ("bankCode", null), ("accountNumber", null), ("accountHolderName", null),
        ("currency", null), ("legalDocumentReference", null), ("reason", null), ("amount", null),
        ("amount", -1), ("amount", 0), ("amount", 0.001), ("amount", 1_000_000_000_001m), ("amount", 1e30), ("amount", "fifty"), ("amount", "50000.001"),
        ("amount", true), ("amount", new JsonArray()),
        ("currency", "XYZ"), ("currency", "\u0421NY"), ("currency", "C\u200BNY"), ("currency", ""), ("currency", 156),
        ("kind", "Seize"), ("kind", 99), ("kind", -1), ("kind", new JsonObject()),
        ("accountNumber", "' OR '1'='1' --"), ("accountNumber", "6222020200112233445; DROP TABLE mt_events;"),
        ("accountNumber", "\uFF16\uFF12\uFF12\uFF12\uFF10\uFF12\uFF10\uFF12\uFF10\uFF10\uFF11\uFF11\uFF12\uFF12\uFF13\uFF13\uFF14\uFF14\uFF15"),
        ("accountNumber", "6222020200112233445\u202E"), ("accountNumber", "<script>alert(1)</script>"), ("accountNumber", 6222020200112233445),
        ("caseNumber", new string('9', 65)), ("caseNumber", "SZ-2026\u0000-1"), ("caseNumber", 12345), ("caseNumber", new JsonObject()),
        ("reason", new string('x', 2001)), ("accountHolderName", "Zhang\nSan"), ("wholeBalance", "yes"),
        ("assetType", "Bitcoin"), ("majorCase", "true"),
    ];

    private static readonly (string Field, JsonNode? Value)[] ClaimAttacks =
    [
        ("fullName", null), ("idNumber", null), ("payments", null), ("returnAccount", null), ("payments", new JsonArray()),
        ("idNumber", "' OR 1=1 --"), ("idNumber", "44030119900101123\u202E4"), ("idNumber", "12345"), ("idNumber", 440301199001011234),
        ("email", "not-an-email"), ("email", "a@b.c\r\nBcc: x@evil.example"), ("fullName", new string('n', 201)),
        ("fullName", "Li\u0000Hua"), ("description", new string('d', 4001)), ("returnAccount", "my usual one"),
        ("payments", "600 yuan"),
    ];

    private static IEnumerable<(string Name, JsonObject Body)> Mutations(JsonObject valid, IEnumerable<(string Field, JsonNode? Value)> attacks)
    {
        foreach (var (field, value) in attacks)
        {
            var body = valid.DeepClone().AsObject();
            var shown = value?.ToJsonString() ?? "missing";
            if (value is null) body.Remove(field);
            else body[field] = value.DeepClone();
            yield return ($"{field} = {(shown.Length > 40 ? shown[..40] + "…" : shown)}", body);
        }
    }

    private static Hostile Post(string name, string path, string? role, JsonNode body) =>
        new(name, "POST", path, role, () => ApiSurface.Json(body.ToJsonString()));

    private static Hostile Put(string name, string path, string role, JsonNode body) =>
        new(name, "PUT", path, role, () => ApiSurface.Json(body.ToJsonString()));

    private static Hostile Csv(string name, string path, string role, string csv) =>
        new(name, "POST", path, role, () => ApiSurface.Json(csv, "text/csv"));

    private static Hostile Get(string name, string path, string role) => new(name, "GET", path, role, () => null);

    /// <summary>A body that cannot say its length, so the size limit must be enforced while reading.</summary>
    private sealed class ChunkedOnly(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
