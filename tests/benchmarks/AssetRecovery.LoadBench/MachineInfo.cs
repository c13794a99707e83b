namespace AssetRecovery.LoadBench;

/// <summary>The machine the figures came from: cores, memory, CPU model, and how busy it was.</summary>
public sealed record MachineInfo(int Cores, double MemoryGb, string CpuModel, string LoadBefore)
{
    public static MachineInfo Read()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memoryKb = File.Exists("/proc/meminfo")
            ? long.Parse(File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1])
            : 0;
        return new MachineInfo(Environment.ProcessorCount, memoryKb / 1024.0 / 1024.0, cpu ?? "unknown", LoadAverage());
    }

    /// <summary>The 1, 5 and 15 minute load averages (other work on the machine shares its two cores).</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
