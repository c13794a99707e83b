using System.Globalization;

namespace AssetRecovery.LoadBench;

/// <summary>
/// Samples each service's resident memory from /proc/&lt;pid&gt;/status (pids from .run/*.pid, written by deploy/run.sh)
/// while a measurement runs: the highest VmRSS seen during it, and VmHWM (the kernel's peak since the process started).
/// </summary>
public sealed class ServiceMemory : IAsyncDisposable
{
    private readonly Dictionary<string, int> _pids;
    private readonly Dictionary<string, long> _peakRssKb = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    private ServiceMemory(Dictionary<string, int> pids)
    {
        _pids = pids;
        _sampling = Task.Run(SampleAsync);
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
