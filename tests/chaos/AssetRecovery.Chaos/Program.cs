using AssetRecovery.Chaos;
using AssetRecovery.Clients;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.ServiceDefaults;

// The fault suite: under a steady load of freeze requests, each fault in turn (kill -9 a service, stop RabbitMQ, restart
// PostgreSQL), then the checks: every request answered 2xx is in the event store exactly once, every saga in its right
// state, no message left in a queue, dead letters explained, 503 ProblemDetails (not 500, not a hang) while the database
// was down. Run by deploy/chaos.sh, which starts the private servers and services this needs; exit code 1 on any failure.
ChaosOptions options;
try
{
    options = ChaosOptions.Parse(args);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine($"chaos: {exception.Message}");
    Console.Error.WriteLine("usage: AssetRecovery.Chaos --freeze-url URL --postgres CONNECTION --rabbit-management-url URL " +
                            "--rabbit-vhost VHOST --rabbit-user USER --rabbit-password PASSWORD --control deploy/chaos.sh " +
                            $"[--faults {string.Join(',', FaultCatalog.Names)}] [--rate 8] [--load-before 10] [--load-after 10] " +
                            "[--rabbit-outage 30] [--postgres-outage 15] [--settle-timeout 150] [--client-timeout 5]");
    return 2;
}

// No client-wide timeout: each attempt has its own (options.ClientTimeout), and running out of it is a hang.
using var freezeHttp = new HttpClient { BaseAddress = options.FreezeUrl, Timeout = Timeout.InfiniteTimeSpan };
var freezes = ApiClients.Create<IFreezeApi>(freezeHttp, DevelopmentTokens.Create(Roles.BankLiaison, "chaos-officer"));
using var freezeHealth = new HttpClient { BaseAddress = options.FreezeUrl, Timeout = TimeSpan.FromSeconds(5) };
using var broker = new BrokerAudit(options);
var run = new FaultRun(options, freezes, new SystemControl(options.ControlScript), broker, freezeHealth);

// Case numbers carry the run and the fault, so each fault is audited on its own requests only.
var runId = DateTimeOffset.UtcNow.ToString("MMddHHmmss");
await run.WarmUpAsync($"CHAOS-{runId}-warmup-");
var results = new List<FaultResult>();
var faults = FaultCatalog.All.Where(f => options.Faults.Contains(f.Name)).ToList();
for (var i = 0; i < faults.Count; i++)
{
    var result = await run.RunAsync(faults[i], $"CHAOS-{runId}-{i + 1}-");
    results.Add(result);
    FaultRun.Log($"{faults[i].Name}: done, {(result.Failures().Any() ? "FAILED: " + string.Join("; ", result.Failures()) : "passed")}");
}

ResultTable.Print(results, options);
return results.Any(r => r.Failures().Any()) ? 1 : 0;
