using AssetRecovery.LoadBench;

// Drives the running system (deploy/run.sh) and writes a Markdown report; deploy/bench.sh runs it and adds the tracing
// benchmark. Usage:
//   dotnet AssetRecovery.LoadBench.dll [all|intake|bulk|distribution|ceilings]... [--report FILE]
// Sizes come from BENCH_* environment variables (see BenchSettings); the database and broker from the variables
// deploy/infra.sh exports.
var reportAt = Array.IndexOf(args, "--report");
var reportPath = reportAt >= 0 && reportAt + 1 < args.Length ? args[reportAt + 1] : null;
var phases = args.Where((a, i) => reportAt < 0 || (i != reportAt && i != reportAt + 1)).Select(a => a.ToLowerInvariant()).ToHashSet();
if (phases.Count == 0 || phases.Contains("all")) phases = ["intake", "bulk", "distribution", "ceilings"];
string[] known = ["intake", "bulk", "distribution", "ceilings"];
if (phases.Except(known).FirstOrDefault() is { } unknown)
{
    Console.Error.WriteLine($"unknown phase '{unknown}'; usage: AssetRecovery.LoadBench [all|{string.Join('|', known)}]... [--report FILE]");
    return 2;
}

var root = Environment.GetEnvironmentVariable("BENCH_ROOT") ?? FindRepositoryRoot(Directory.GetCurrentDirectory());
var settings = BenchSettings.FromEnvironment(root);
await using var database = settings.OpenDatabase();
using var clients = new SystemClients(settings);
var sagas = new FreezeSagas(database);
var report = new BenchReport(settings, MachineInfo.Read());
var databaseCounters = new DatabaseCounters(database);
report.DatabaseBefore = await databaseCounters.SizeAsync();
void Progress(string line) => Console.Error.WriteLine($"[bench {DateTime.UtcNow:HH:mm:ss}] {line}");
using var backlog = new Backlog(settings, database);
// Each phase starts once the services have finished what was left them: by the phase before, or by an earlier run
// (and the distribution round once they have finished what the order caused).
async Task SettleAsync(string before)
{
    Progress($"waiting for the backlog to drain before {before}");
    report.Drains.Add(await backlog.DrainAsync(before));
}

if (phases.Contains("intake"))
{
    var intake = new IntakeBenchmark(settings, clients, sagas, databaseCounters);
    await SettleAsync("intake warm-up");
    Progress($"intake: warm-up, {settings.WarmupRequests} requests");
    await intake.FlatOutAsync("warmup", settings.WarmupRequests, 8);
    await SettleAsync("intake at a fixed rate");
    Progress($"intake: {settings.OfferedRate}/s for {settings.RateSeconds} s from {settings.RateClients} clients");
    report.Intake.Add(await intake.AtRateAsync("rate", settings.OfferedRate, TimeSpan.FromSeconds(settings.RateSeconds), settings.RateClients));
    await SettleAsync("intake flat out");
    Progress($"intake: flat out, {settings.FlatOutRequests} requests from {settings.FlatOutClients} clients");
    report.Intake.Add(await intake.FlatOutAsync("flatout", settings.FlatOutRequests, settings.FlatOutClients));
}
if (phases.Contains("bulk"))
{
    await SettleAsync("bulk");
    Progress($"bulk: one request of {settings.BulkRows} rows");
    report.Bulk = await new BulkBenchmark(settings, clients, sagas).RunAsync();
}
if (phases.Contains("distribution"))
{
    await SettleAsync("distribution");
    Progress($"distribution: a round for {settings.Victims} victims");
    report.Distribution = await new DistributionBenchmark(settings, clients, database, SettleAsync).RunAsync();
}
if (phases.Contains("ceilings"))
{
    await SettleAsync("ceilings");
    var ceilings = new Ceilings(settings, database);
    var count = report.Intake.LastOrDefault()?.Accepted is > 0 and var accepted ? accepted : settings.FlatOutRequests;
    Progress($"ceilings: {count} PostgreSQL commits, {count} RabbitMQ messages");
    report.PostgresCeiling = await ceilings.PostgresCommitsAsync(count, settings.FlatOutClients);
    report.RabbitCeiling = await ceilings.RabbitPublishConsumeAsync(count, 4);
}
report.LoadAfter = MachineInfo.LoadAverage();
report.DatabaseAfter = await databaseCounters.SizeAsync();

var markdown = report.ToMarkdown();
Console.WriteLine(markdown);
if (reportPath is not null)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(reportPath))!);
    await File.WriteAllTextAsync(reportPath, markdown);
    Progress($"report written to {reportPath}");
}
return 0;

static string FindRepositoryRoot(string from)
{
    for (var dir = new DirectoryInfo(from); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "AssetRecovery.sln"))) return dir.FullName;
    return from;
}
