using System.Globalization;
using System.Text;

namespace AssetRecovery.LoadBench;

/// <summary>The Markdown report: each figure beside its target and beside the ceiling measured in the same run.</summary>
public sealed class BenchReport(BenchSettings settings, MachineInfo machine)
{
    private const double RssTargetMb = 250;

    public List<IntakeResult> Intake { get; } = [];
    public BulkResult? Bulk { get; set; }
    public DistributionResult? Distribution { get; set; }
    /// <summary>What each phase waited for before it began (<see cref="Backlog"/>).</summary>
    public List<BacklogDrain> Drains { get; } = [];
    public CeilingResult? PostgresCeiling { get; set; }
    public CeilingResult? RabbitCeiling { get; set; }
    public string LoadAfter { get; set; } = "";
    public DatabaseSize? DatabaseBefore { get; set; }
    public DatabaseSize? DatabaseAfter { get; set; }

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        var rate = Intake.FirstOrDefault(r => r.Name == "rate");
        var flatOut = Intake.FirstOrDefault(r => r.Name == "flatout");
        md.AppendLine("# Benchmark report").AppendLine();
        md.AppendLine($"Run {settings.RunId} at {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC" +
                      (Environment.GetEnvironmentVariable("BENCH_COMMIT") is { Length: > 0 } commit ? $", commit {commit}" : "") + ".");
        md.AppendLine($"Machine: {machine.Cores} cores, {machine.MemoryGb:F1} GB memory, {machine.CpuModel}; load average (1/5/15 min) " +
                      $"{machine.LoadBefore} before, {LoadAfter} after. The load generator runs on the same cores as the services, " +
                      "PostgreSQL and RabbitMQ.");
        if (DatabaseBefore is { } before && DatabaseAfter is { } after)
            md.AppendLine($"Database `{before.Name}`: {Megabytes(before.Bytes)} and {before.Events:N0} events at the start, " +
                          $"{Megabytes(after.Bytes)} and {after.Events:N0} events at the end.");
        md.AppendLine();

        md.AppendLine("## Against targets and the machine's ceiling").AppendLine();
        md.AppendLine("| measure | figure | target | met | ceiling (same run) | fraction of ceiling |");
        md.AppendLine("|---|---:|---|:---:|---|---|");
        if (flatOut is not null)
            md.AppendLine($"| intake, sustained end to end ({flatOut.Clients} clients, {flatOut.Accepted:N0} freezes, each counted once its saga has it) " +
                          $"| {flatOut.EndToEndRate:N1} req/s | ≥ 500 req/s | {Met(flatOut.AllRecorded && flatOut.EndToEndRate >= 500)} | {Ceilings()} " +
                          $"| {Fraction(flatOut.EndToEndRate)} |");
        if (flatOut is not null)
            md.AppendLine($"| intake, HTTP answers flat out ({flatOut.Clients} clients) | {flatOut.HttpRate:N0} req/s | | | {Ceilings()} " +
                          $"| {Fraction(flatOut.HttpRate)} |");
        if (rate is not null)
        {
            md.AppendLine($"| intake p99 at {settings.OfferedRate} req/s offered ({rate.Clients} clients), HTTP | {rate.Http.Percentile(99):N1} ms " +
                          $"| < 100 ms | {Met(rate.Errors == 0 && rate.Http.Percentile(99) < 100)} | | |");
            md.AppendLine($"| intake p99 at {settings.OfferedRate} req/s offered, until the saga has it | {rate.EndToEnd.Percentile(99):N1} ms " +
                          $"| (not a target) | | | |");
        }
        if (Bulk is { } bulk)
        {
            md.AppendLine($"| bulk {bulk.Rows:N0} rows: every row accepted (its freeze requested) | {Seconds(bulk.AcceptedSeconds, bulk.AllAccepted)} " +
                          $"| < 5 s | {Met(bulk.AllAccepted && bulk.AcceptedSeconds < 5)} | {Ceilings()} | {Fraction(bulk.Rows / bulk.AcceptedSeconds)} |");
            md.AppendLine($"| bulk {bulk.Rows:N0} rows: in every saga | {Seconds(bulk.InSagasSeconds, bulk.AllInSagas)} | < 30 s " +
                          $"| {Met(bulk.AllInSagas && bulk.InSagasSeconds < 30)} | {Ceilings()} | {Fraction(bulk.Rows / bulk.InSagasSeconds)} |");
        }
        if (Distribution is { } d)
            md.AppendLine($"| distribution round for {d.Victims:N0} victims (request to answer) | {Seconds(d.PlanSeconds, d.Error is null)} | < 1 s " +
                          $"| {Met(d.Error is null && d.PlanSeconds < 1)} | | |");
        foreach (var service in PeakRss().OrderBy(s => s.Key))
            md.AppendLine($"| peak RSS of {service.Key} under the loads above | {service.Value:N0} MB | < {RssTargetMb:N0} MB " +
                          $"| {Met(service.Value < RssTargetMb)} | | |");
        md.AppendLine();

        if (Intake.Count > 0)
        {
            md.AppendLine("## Intake: single freeze requests (POST /api/freezes)").AppendLine();
            md.AppendLine("Each client is its own investigator token; each request is a formal freeze on an account no other request uses, 50 to a case. " +
                          "At a fixed rate, request i is due at i/rate and its latency counts from then (no coordinated omission). " +
                          "End to end: from sending to the freeze saga's row being written (mt_last_modified in PostgreSQL). " +
                          $"The services are started fresh; {settings.WarmupRequests:N0} requests sent flat out from 8 clients warm them up " +
                          "(JIT compilation) before the first phase, and are not counted.").AppendLine();
            md.AppendLine("| phase | clients | sent | accepted | errors | HTTP req/s | HTTP p50 / p95 / p99 ms | end-to-end req/s | end-to-end p50 / p95 / p99 ms | commits per freeze |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---|---:|---|---:|");
            foreach (var r in Intake)
                md.AppendLine($"| {(r.Name == "rate" ? $"{settings.OfferedRate}/s for {settings.RateSeconds} s" : "flat out")} | {r.Clients} | {r.Sent:N0} " +
                              $"| {r.Accepted:N0} | {r.Errors}{(r.FirstError is null ? "" : $" (first: {Escape(r.FirstError)})")} | {r.HttpRate:N0} " +
                              $"| {r.Http.Summary()} | {(r.AllRecorded ? r.EndToEndRate.ToString("N0", CultureInfo.InvariantCulture) : $"{r.Recorded:N0} of {r.Accepted:N0} recorded")} " +
                              $"| {r.EndToEnd.Summary()} | {(r.Accepted > 0 ? (double)r.Commits / r.Accepted : double.NaN):F1} |");
            md.AppendLine().AppendLine("Commits per freeze: PostgreSQL transactions committed in the database during the phase (pg_stat_database; " +
                                       "other work in the same database counts too) over the freezes accepted.").AppendLine();
        }

        if (Bulk is { } b)
        {
            md.AppendLine("## Bulk: one request of 10,000 rows (POST /api/freeze-batches, JSON)").AppendLine();
            md.AppendLine("| rows | answer | answered in | rows accepted | refused | all accepted after | sagas | all in sagas after |");
            md.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|");
            md.AppendLine($"| {b.Rows:N0} | {b.Status}{(b.Error is null ? "" : $" ({Escape(b.Error)})")} | {b.AnsweredSeconds:F2} s | {b.Accepted:N0} | {b.Refused:N0} " +
                          $"| {Seconds(b.AcceptedSeconds, b.AllAccepted)} | {b.InSagas:N0} | {Seconds(b.InSagasSeconds, b.AllInSagas)} |").AppendLine();
        }

        if (Distribution is { } dist)
        {
            md.AppendLine($"## Distribution: a round for {dist.Victims:N0} victims").AppendLine();
            md.AppendLine("The victims' claims are seeded as restitution's Claimant documents (binary COPY; filing them through the " +
                          "victim-claim service is not what is measured); the pool is funded by an asset's sale through the seizure API; " +
                          "the order (PUT restitution-order) and the round (POST distribution-rounds, pro rata, exact to the cent) go through " +
                          "the restitution API. Payments: until one payment per allocation is instructed (after the pool funded the round).").AppendLine();
            if (dist.Error is not null) md.AppendLine($"Failed: {Escape(dist.Error)}").AppendLine();
            md.AppendLine("| victims | claimants seeded | order recorded | round planned (answer) | allocations | distributed | payments instructed after | restitution peak RSS while planning |");
            md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
            md.AppendLine($"| {dist.Victims:N0} | {dist.SeedSeconds:F2} s | {dist.OrderSeconds:F2} s | {dist.PlanSeconds:F2} s | {dist.Allocations:N0} " +
                          $"| {dist.Distributed:N2} | {(dist.Funded ? $"{dist.PaymentsSeconds:F1} s" : $"{dist.Payments:N0} after {dist.PaymentsSeconds:F0} s")} " +
                          $"| {dist.PlanUsage.PeakRssMb.GetValueOrDefault("restitution"):N0} MB |").AppendLine();
        }

        if (Drains.Count > 0)
        {
            md.AppendLine("## Between phases").AppendLine();
            md.AppendLine("Each phase began once the services had finished what was left them (by the phase before; before the first, by " +
                          "anything earlier), and the distribution round once the services had finished what the order caused: every RabbitMQ " +
                          "queue empty and every relay and the case ledger's projection caught up with the event store, for " +
                          $"{Backlog.QuietFor.TotalSeconds:N0} s in a row (the management API refreshes queue figures every 5 s; the wait " +
                          "includes those seconds). What was left, and how long it took:").AppendLine();
            md.AppendLine("| before | messages queued | events not yet relayed or projected | waited | drained |");
            md.AppendLine("|---|---:|---:|---:|:---:|");
            foreach (var drain in Drains)
                md.AppendLine($"| {drain.Before} | {(drain.Messages is { } queued ? queued.ToString("N0") : "not known")} | {drain.UnprocessedEvents:N0} | {drain.Seconds:F1} s | " +
                              $"{(drain.Drained ? "yes" : $"**no** ({Backlog.Limit.TotalMinutes:N0} min limit)")} |");
            md.AppendLine();
        }

        if (PostgresCeiling is not null || RabbitCeiling is not null)
        {
            md.AppendLine("## Ceilings measured in the same run").AppendLine();
            md.AppendLine("| what | operations | concurrency | seconds | per second | note |");
            md.AppendLine("|---|---:|---:|---:|---:|---|");
            foreach (var c in new[] { PostgresCeiling, RabbitCeiling }.OfType<CeilingResult>())
                md.AppendLine($"| {c.Name} | {c.Operations:N0} | {c.Concurrency} | {c.Seconds:F2} | {c.Rate:N0} | {Escape(c.Note ?? "")} |");
            md.AppendLine();
        }

        var phases = new List<(string Name, PhaseUsage Usage)>();
        phases.AddRange(Intake.Select(r => ($"intake {r.Name}", r.Usage)));
        if (Bulk is not null) phases.Add(("bulk", Bulk.Usage));
        if (Distribution is not null) phases.Add(("distribution: order, round, payments", Distribution.Usage));
        var services = phases.SelectMany(p => p.Usage.PeakRssMb.Keys).Distinct().Order().ToList();
        if (services.Count > 0)
        {
            md.AppendLine("## Memory and CPU per service and phase").AppendLine();
            md.AppendLine("Highest VmRSS sampled every 100 ms (MB), and CPU seconds used (user + system, /proc/<pid>/stat), by each " +
                          "service and by what shares the cores with them: the load generator itself, PostgreSQL (every server process " +
                          "alive at the end of the phase) and RabbitMQ. The machine's busy share counts every process on it, other " +
                          "engineers' work included; of it, the share stolen by the host (steal in /proc/stat: this virtual machine " +
                          "had work, the hypervisor ran something else) tells a run that met a busier host.").AppendLine();
            var sharing = ServiceMemory.Sharing.Keys.ToList();
            md.AppendLine($"| phase | {string.Join(" | ", services.Select(s => $"{s} MB"))} | {string.Join(" | ", services.Select(s => $"{s} CPU s"))} " +
                          $"| {string.Join(" | ", sharing.Select(s => $"{s} CPU s"))} | machine busy | stolen by the host |");
            md.AppendLine($"|---|{string.Concat(services.Concat(services).Concat(sharing).Select(_ => "---:|"))}---:|---:|");
            foreach (var (name, usage) in phases)
                md.AppendLine($"| {name} | {string.Join(" | ", services.Select(s => Number(usage.PeakRssMb, s, "N0")))} " +
                              $"| {string.Join(" | ", services.Select(s => Number(usage.CpuSeconds, s, "N1")))} " +
                              $"| {string.Join(" | ", sharing.Select(s => Number(usage.SharingCpuSeconds, s, "N1")))} | {usage.MachineBusy:P0} | {usage.StolenByHost:P1} |");
            md.AppendLine();
        }
        return md.ToString();
    }

    private Dictionary<string, double> PeakRss()
    {
        var peak = new Dictionary<string, double>();
        foreach (var rss in Intake.Select(r => r.Usage.PeakRssMb).Append(Bulk?.Usage.PeakRssMb ?? []).Append(Distribution?.Usage.PeakRssMb ?? []))
            foreach (var (service, mb) in rss) peak[service] = Math.Max(peak.GetValueOrDefault(service), mb);
        return peak;
    }

    private string Ceilings() => string.Join("; ", new[] { PostgresCeiling, RabbitCeiling }.OfType<CeilingResult>()
        .Select(c => $"{(c == PostgresCeiling ? "PostgreSQL" : "RabbitMQ")} {c.Rate:N0}/s"));

    /// <summary>The system's rate over each ceiling: one freeze needs at least one commit and one message.</summary>
    private string Fraction(double systemRate) => string.Join("; ", new[] { PostgresCeiling, RabbitCeiling }.OfType<CeilingResult>()
        .Where(c => c.Rate > 0 && double.IsFinite(systemRate))
        .Select(c => $"{systemRate / c.Rate:P0} of {(c == PostgresCeiling ? "PostgreSQL" : "RabbitMQ")}"));

    private static string Number(Dictionary<string, double> values, string key, string format) =>
        values.TryGetValue(key, out var value) ? value.ToString(format, CultureInfo.InvariantCulture) : "";

    private static string Met(bool met) => met ? "yes" : "**no**";

    private static string Seconds(double seconds, bool reached) => reached && double.IsFinite(seconds) ? $"{seconds:F2} s" : $"not within {seconds:F0} s";

    private static string Megabytes(long bytes) => $"{bytes / 1024.0 / 1024:N0} MB";

    private static string Escape(string text) => text.ReplaceLineEndings(" ").Replace("|", "\\|");
}
