using System.Diagnostics;
using AssetRecovery.Benchmarks;
using AssetRecovery.Tracing;

// Usage:
//   dotnet AssetRecovery.Benchmarks.dll tracing [sizes...] [--rules Fifo,ProRata] [--paths] [--timeout SECONDS]
//                                                 [--min-share MINOR]
//                                                               e.g. tracing 10000 1000000 (default 1e4 1e5 1e6); compact
//                                                               results unless --paths (every victim's paths); each run is
//                                                               stopped after --timeout seconds (default 120); with
//                                                               --min-share, the rules that take one run a second time with it
//   dotnet AssetRecovery.Benchmarks.dll tracing-one SIZE RULE [--paths] [--min-share MINOR]  one measurement (the runner
//                                                               starts these as child processes, so each peak memory figure
//                                                               is that run's own)
//   dotnet AssetRecovery.Benchmarks.dll tracing-check SIZE RULE [SEED] [VICTIMS] [--paths] [--min-share MINOR]  one trace, then its
//                                                               ResultFingerprint (to check that an optimisation leaves every
//                                                               figure as it was): the compact one, and with --paths (every
//                                                               victim's paths) also the full one
// Prints a Markdown table: transactions per second and peak working set per rule and size (1,000 victims); where
// ConnectionStrings__Postgres is set, also the same cases as an analyst would trace them in PostgreSQL, for the ratio.
const int Victims = 1_000;

switch (args.FirstOrDefault())
{
    case "tracing-one":
        RunOne(int.Parse(args[1]), Enum.Parse<AllocationRule>(args[2]), args.Contains("--paths"), MinimumShare(args));
        return 0;
    case "tracing-check":
        {
            var withPaths = args.Contains("--paths");
            var minimumShare = MinimumShare(args);
            var positional = args.Where((a, i) => a is not ("--paths" or "--min-share") && (i == 0 || args[i - 1] != "--min-share")).ToArray();
            var request = SyntheticCase.Generate(int.Parse(positional[1]), positional.Length > 4 ? int.Parse(positional[4]) : Victims,
                Enum.Parse<AllocationRule>(positional[2]), positional.Length > 3 ? int.Parse(positional[3]) : 20261123)
                with { MinimumShareMinor = minimumShare };
            if (withPaths) request = request with { Paths = TracePaths.All };
            var clock = Stopwatch.StartNew();
            var result = TraceEngine.Trace(request);
            clock.Stop();
            var s = ResultFingerprint.Compute(result);
            var exitTotals = result.Victims.Sum(v => (long)v.ExitTotals.Count);
            Console.WriteLine($"{positional[1]} {positional[2]} seed={(positional.Length > 3 ? positional[3] : "default")} "
                + $"victims={(positional.Length > 4 ? positional[4] : Victims.ToString())} paths={(withPaths ? "all" : "none")} "
                + (minimumShare > 0 ? $"min-share={minimumShare} below-minimum={BelowMinimum(result)}/{result.Victims.Sum(v => v.LossMinor)} " : "")
                + $"compact={ResultFingerprint.ComputeCompact(result)} {(withPaths ? $"fingerprint={s.Fingerprint} " : "")}digest={result.Digest[..16]} "
                + $"holdings={s.Holdings} shares={s.PathShares} hops={s.PathHops} exits={s.Exits} exit-totals={exitTotals} "
                + $"accounts={s.Accounts} flows={s.Flows} seconds={clock.Elapsed.TotalSeconds:F2}");
            return 0;
        }
    case "tracing":
        // tracing [sizes...] [--rules Fifo,ProRata] [--paths] [--timeout SECONDS]: every rule unless named.
        var rulesAt = Array.IndexOf(args, "--rules");
        var rules = rulesAt > 0 ? args[rulesAt + 1].Split(',').Select(Enum.Parse<AllocationRule>).ToArray() : Enum.GetValues<AllocationRule>();
        var timeoutAt = Array.IndexOf(args, "--timeout");
        var timeout = TimeSpan.FromSeconds(timeoutAt > 0 ? int.Parse(args[timeoutAt + 1]) : 120);
        var paths = args.Contains("--paths");
        var minShareAt = Array.IndexOf(args, "--min-share");
        var runMinimumShare = MinimumShare(args);
        // Sizes: the arguments that are neither options nor an option's value.
        var sizeArgs = args.Select((a, i) => (a, i))
            .Where(x => x.i > 0 && !x.a.StartsWith("--", StringComparison.Ordinal) && x.i != rulesAt + 1 && x.i != timeoutAt + 1
                && x.i != minShareAt + 1)
            .Select(x => x.a).ToArray();
        var sizes = sizeArgs.Length > 0 ? sizeArgs.Select(int.Parse).ToArray() : [10_000, 100_000, 1_000_000];
        Console.WriteLine($"Fund tracing on {Environment.ProcessorCount} cores, {Victims} victims, one thread per trace, "
            + $"{(paths ? "every victim's paths" : "compact results (no paths)")}; load average {LoadAverage()} at the start");
        Console.WriteLine();
        Console.WriteLine("| transactions | rule | seconds | CPU seconds | transactions/s | peak memory (MB) | target |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---|");
        foreach (var size in sizes)
            foreach (var rule in rules)
            {
                Console.WriteLine(Child(size, rule, paths, 0, timeout));
                if (runMinimumShare > 0 && TraceRequest.SharesOutflows(rule))
                    Console.WriteLine(Child(size, rule, paths, runMinimumShare, timeout));
            }
        if (runMinimumShare > 0)
        {
            Console.WriteLine();
            Console.WriteLine($"\"min. share {runMinimumShare / 100m:F2}\": the same trace with that minimum share (TraceRequest.MinimumShareMinor): "
                + "a victim's share below it is no longer followed (it leaves the trail as BelowMinimumShare); every other rule is the same.");
        }

        // The analyst's way, where a PostgreSQL is configured (deploy/infra.sh sets ConnectionStrings__Postgres).
        if (Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") is { Length: > 0 } postgres)
        {
            Console.WriteLine();
            Console.WriteLine("The same cases in PostgreSQL: load (binary COPY + index), then a recursive reachability query (50 hops)");
            Console.WriteLine();
            Console.WriteLine("| transactions | load seconds | query seconds | accounts reached | transactions/s (query) |");
            Console.WriteLine("|---:|---:|---:|---:|---:|");
            foreach (var size in sizes)
            {
                var (load, query, accounts) = await PostgresTrace.RunAsync(postgres, SyntheticCase.Generate(size, Victims, AllocationRule.Fifo), 50);
                Console.WriteLine($"| {size:N0} | {load.TotalSeconds:F2} | {query.TotalSeconds:F2} | {accounts:N0} | {size / query.TotalSeconds:N0} |");
            }
        }
        return 0;
    default:
        Console.Error.WriteLine("usage: AssetRecovery.Benchmarks tracing [sizes...] | tracing-one SIZE RULE");
        return 2;
}

// What a minimum share took off the trail, of all the victims' losses.
static long BelowMinimum(TraceResult result) =>
    result.Victims.SelectMany(v => v.ExitTotals).Where(e => e.Reason == ExitReason.BelowMinimumShare).Sum(e => e.AmountMinor);

static long MinimumShare(string[] args)
{
    var at = Array.IndexOf(args, "--min-share");
    return at > 0 ? long.Parse(args[at + 1]) : 0;
}

// The synthetic cases are in CNY (2 minor digits).
static string RuleLabel(AllocationRule rule, long minimumShare) => minimumShare > 0 ? $"{rule}, min. share {minimumShare / 100m:F2}" : rule.ToString();

static void RunOne(int size, AllocationRule rule, bool paths, long minimumShare)
{
    var request = SyntheticCase.Generate(size, Victims, rule) with
    {
        Paths = paths ? TracePaths.All : TracePaths.None,
        MinimumShareMinor = minimumShare,
    };
    GC.Collect();
    // CPU time as well as the clock: on a shared machine the clock also counts the time other processes had the core.
    var process = Process.GetCurrentProcess();
    var cpuBefore = process.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    var result = TraceEngine.Trace(request); // checks its invariants before returning
    clock.Stop();
    process.Refresh();
    var cpu = process.TotalProcessorTime - cpuBefore;
    var peakMb = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
    var target = size == 1_000_000 && rule is AllocationRule.Fifo or AllocationRule.ProRata
        ? (clock.Elapsed.TotalSeconds < 2 && peakMb < 1024 ? "< 2 s, < 1 GB: met" : "< 2 s, < 1 GB: MISSED")
        : "";
    Console.WriteLine($"| {size:N0} | {RuleLabel(rule, minimumShare)} | {clock.Elapsed.TotalSeconds:F2} | {cpu.TotalSeconds:F2} | {size / clock.Elapsed.TotalSeconds:N0} | {peakMb:N0} | {target} |");
    GC.KeepAlive(result);
}

static string Child(int size, AllocationRule rule, bool paths, long minimumShare, TimeSpan timeout)
{
    string[] one = ["tracing-one", size.ToString(), rule.ToString(), .. paths ? new[] { "--paths" } : [],
        .. minimumShare > 0 ? new[] { "--min-share", minimumShare.ToString() } : []];
    var start = new ProcessStartInfo(Environment.ProcessPath!, [typeof(SyntheticCase).Assembly.Location, .. one])
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    };
    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) != "dotnet")
        start = new ProcessStartInfo(Environment.ProcessPath!, one) { RedirectStandardOutput = true, RedirectStandardError = true };
    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEndAsync();
    var error = process.StandardError.ReadToEndAsync();
    if (!process.WaitForExit(timeout))
    {
        process.Kill(entireProcessTree: true);
        return $"| {size:N0} | {RuleLabel(rule, minimumShare)} | > {timeout.TotalSeconds:F0} (stopped) | | | | |";
    }
    return process.ExitCode == 0 ? output.Result.Trim() : $"| {size:N0} | {RuleLabel(rule, minimumShare)} | failed: {error.Result.Split('\n')[0]} | | | | |";
}

// The machine is shared: the load at the start says how far the seconds can be trusted.
static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
