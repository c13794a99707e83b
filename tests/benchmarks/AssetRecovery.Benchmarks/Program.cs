using System.Diagnostics;
using AssetRecovery.Benchmarks;
using AssetRecovery.Tracing;

// Usage:
//   dotnet AssetRecovery.Benchmarks.dll tracing [sizes...]     e.g. tracing 10000 100000 1000000 (default: 1e4 1e5 1e6)
//   dotnet AssetRecovery.Benchmarks.dll tracing-one SIZE RULE  one measurement (the runner starts these as child processes,
//                                                               so each peak memory figure is that run's own)
// Prints a Markdown table: transactions per second and peak working set per rule and size (1,000 victims).
const int Victims = 1_000;

switch (args.FirstOrDefault())
{
    case "tracing-one":
        RunOne(int.Parse(args[1]), Enum.Parse<AllocationRule>(args[2]));
        return 0;
    case "tracing":
        var sizes = args.Length > 1 ? args.Skip(1).Select(int.Parse).ToArray() : [10_000, 100_000, 1_000_000];
        Console.WriteLine($"Fund tracing on {Environment.ProcessorCount} cores, {Victims} victims, one thread per trace");
        Console.WriteLine();
        Console.WriteLine("| transactions | rule | seconds | transactions/s | peak memory (MB) | target |");
        Console.WriteLine("|---:|---|---:|---:|---:|---|");
        foreach (var size in sizes)
            foreach (var rule in Enum.GetValues<AllocationRule>())
                Console.WriteLine(Child(size, rule));
        return 0;
    default:
        Console.Error.WriteLine("usage: AssetRecovery.Benchmarks tracing [sizes...] | tracing-one SIZE RULE");
        return 2;
}

static void RunOne(int size, AllocationRule rule)
{
    var request = SyntheticCase.Generate(size, Victims, rule);
    GC.Collect();
    var clock = Stopwatch.StartNew();
    var result = TraceEngine.Trace(request); // checks its invariants before returning
    clock.Stop();
    var peakMb = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
    var target = size == 1_000_000 && rule is AllocationRule.Fifo or AllocationRule.ProRata
        ? (clock.Elapsed.TotalSeconds < 2 && peakMb < 1024 ? "< 2 s, < 1 GB: met" : "< 2 s, < 1 GB: MISSED")
        : "";
    Console.WriteLine($"| {size:N0} | {rule} | {clock.Elapsed.TotalSeconds:F2} | {size / clock.Elapsed.TotalSeconds:N0} | {peakMb:N0} | {target} |");
    GC.KeepAlive(result);
}

static string Child(int size, AllocationRule rule)
{
    var start = new ProcessStartInfo(Environment.ProcessPath!, [typeof(SyntheticCase).Assembly.Location, "tracing-one", size.ToString(), rule.ToString()])
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    };
    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) != "dotnet")
        start = new ProcessStartInfo(Environment.ProcessPath!, ["tracing-one", size.ToString(), rule.ToString()]) { RedirectStandardOutput = true, RedirectStandardError = true };
    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEnd().Trim();
    var error = process.StandardError.ReadToEnd().Trim();
    process.WaitForExit();
    return process.ExitCode == 0 ? output : $"| {size:N0} | {rule} | failed: {error.Split('\n')[0]} | | | |";
}
