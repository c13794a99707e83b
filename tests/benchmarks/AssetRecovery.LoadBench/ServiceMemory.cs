using System.Globalization;

namespace AssetRecovery.LoadBench;

/// <summary>
/// Per service: the highest VmRSS sampled (MB) and the CPU seconds used; the CPU seconds of what shares the cores with
/// them (<see cref="ServiceMemory.Sharing"/>); the machine's busy share, and the share the host took (steal).
/// </summary>
public sealed record PhaseUsage(Dictionary<string, double> PeakRssMb, Dictionary<string, double> CpuSeconds,
    Dictionary<string, double> SharingCpuSeconds, double MachineBusy, double StolenByHost)
{
    public static readonly PhaseUsage None = new([], [], [], double.NaN, double.NaN);
}

/// <summary>
/// Samples each service's resident memory from /proc/&lt;pid&gt;/status (pids from .run/*.pid, written by deploy/run.sh)
/// while a measurement runs: the highest VmRSS seen during it, and VmHWM (the kernel's peak since the process started).
/// Also the CPU time each service used meanwhile, and how busy the whole machine was (/proc/stat), to show where the two
/// cores went.
/// </summary>
public sealed class ServiceMemory : IAsyncDisposable
{
    private readonly Dictionary<string, int> _pids;
    private readonly Dictionary<string, long> _peakRssKb = new();
    private readonly Dictionary<string, double> _cpuSecondsAtStart;
    private readonly (long Busy, long Stolen, long Total) _machineAtStart = MachineTicks();
    private readonly Dictionary<string, Dictionary<int, double>> _sharingAtStart = Sharing.ToDictionary(s => s.Key, s => s.Value());
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    private ServiceMemory(Dictionary<string, int> pids)
    {
        _pids = pids;
        _cpuSecondsAtStart = pids.ToDictionary(p => p.Key, p => CpuSeconds(p.Value));
        _sampling = Task.Run(SampleAsync);
    }

    /// <summary>CPU seconds (user + system) each service used since this sampler started.</summary>
    public Dictionary<string, double> CpuSeconds() =>
        _pids.ToDictionary(p => p.Key, p => CpuSeconds(p.Value) - _cpuSecondsAtStart[p.Key]);

    /// <summary>
    /// What runs on the same cores besides the services, each as its processes' CPU seconds: this load generator, every
    /// PostgreSQL process (one per connection) and RabbitMQ's Erlang VM.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, Func<Dictionary<int, double>>> Sharing = new Dictionary<string, Func<Dictionary<int, double>>>
    {
        ["load generator"] = () => new() { [Environment.ProcessId] = CpuSeconds(Environment.ProcessId) },
        ["PostgreSQL"] = () => ProcessesNamed("postgres"),
        ["RabbitMQ"] = () => ProcessesNamed("beam.smp"),
    };

    /// <summary>CPU seconds each of <see cref="Sharing"/> used since this sampler started; a process that ended meanwhile is not counted.</summary>
    public Dictionary<string, double> SharingCpuSeconds() => Sharing.ToDictionary(s => s.Key,
        s => s.Value().Sum(p => p.Value - _sharingAtStart[s.Key].GetValueOrDefault(p.Key)));

    private static Dictionary<int, double> ProcessesNamed(string command)
    {
        var processes = new Dictionary<int, double>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(directory, "comm")).Trim() == command) processes[pid] = CpuSeconds(pid);
            }
            catch (IOException) { } // ended while listed
        }
        return processes;
    }

    /// <summary>
    /// Since this sampler started, from one reading of /proc/stat: the share of the machine's CPU time that was busy
    /// (every process, not only ours), and the share the hypervisor gave to others while this virtual machine had work
    /// (steal, inside the busy share): runs of the same work differ by a third here, and this says which met a busier host.
    /// </summary>
    private (double Busy, double StolenByHost) MachineSharesSinceStart()
    {
        var now = MachineTicks();
        var elapsed = now.Total - _machineAtStart.Total;
        return elapsed == 0
            ? (double.NaN, double.NaN)
            : ((double)(now.Busy - _machineAtStart.Busy) / elapsed, (double)(now.Stolen - _machineAtStart.Stolen) / elapsed);
    }

    private static double CpuSeconds(int pid)
    {
        try
        {
            // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException) { return 0; }
    }

    private static (long Busy, long Stolen, long Total) MachineTicks()
    {
        if (!File.Exists("/proc/stat")) return (0, 0, 0);
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var idle = cpu[3] + cpu[4]; // idle and iowait
        var total = cpu.Take(8).Sum(); // user..steal; guest time is already inside user
        return (total - idle, cpu.Length > 7 ? cpu[7] : 0, total);
    }

    /// <summary>Starts sampling every service deploy/run.sh started (none when .run has no pid files).</summary>
    public static ServiceMemory Start(string repositoryRoot)
    {
        var pids = new Dictionary<string, int>();
        var state = Path.Combine(repositoryRoot, ".run");
        if (Directory.Exists(state))
            foreach (var file in Directory.GetFiles(state, "*.pid").Order())
                if (int.TryParse(File.ReadAllText(file).Trim(), out var pid) && File.Exists($"/proc/{pid}/status"))
                    pids[Path.GetFileNameWithoutExtension(file)] = pid;
        return new ServiceMemory(pids);
    }

    public IReadOnlyCollection<string> Services => _pids.Keys;

    /// <summary>What the services used so far: peak memory, CPU, and how busy the machine was.</summary>
    public PhaseUsage Usage()
    {
        var (busy, stolen) = MachineSharesSinceStart();
        return new(Services.ToDictionary(s => s, PeakRssMb), CpuSeconds(), SharingCpuSeconds(), busy, stolen);
    }

    /// <summary>Highest VmRSS sampled while this sampler ran, in MB.</summary>
    public double PeakRssMb(string service)
    {
        lock (_peakRssKb) return _peakRssKb.GetValueOrDefault(service) / 1024.0;
    }

    /// <summary>The kernel's high-water mark of resident memory since the service started, in MB.</summary>
    public double HighWaterMb(string service) => ReadKb(_pids[service], "VmHWM:") / 1024.0;

    private async Task SampleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            foreach (var (service, pid) in _pids)
            {
                var rss = ReadKb(pid, "VmRSS:");
                lock (_peakRssKb) _peakRssKb[service] = Math.Max(_peakRssKb.GetValueOrDefault(service), rss);
            }
            try { await Task.Delay(100, _stop.Token); } catch (OperationCanceledException) { }
        }
    }

    private static long ReadKb(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith(field, StringComparison.Ordinal))
                    return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException) { } // the process ended
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }
}
