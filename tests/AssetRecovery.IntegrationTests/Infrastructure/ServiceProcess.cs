using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AssetRecovery.Clients;
using AssetRecovery.ServiceDefaults;

namespace AssetRecovery.IntegrationTests.Infrastructure;

/// <summary>
/// A service as a real operating-system process (the built service assembly run with dotnet), so a test can kill it
/// with SIGKILL and start it again on the same port and data.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly string _assemblyPath;
    private readonly IDictionary<string, string?> _settings;
    private Process? _process;
    private readonly List<string> _output = [];

    public ServiceProcess(string serviceFolder, string assemblyName, IDictionary<string, string?> settings)
    {
        _assemblyPath = Path.Combine(RepositoryRoot(), "services", serviceFolder, assemblyName, "bin", BuildConfiguration(),
            "net10.0", assemblyName + ".dll");
        if (!File.Exists(_assemblyPath)) throw new FileNotFoundException("Build the solution first.", _assemblyPath);
        _settings = settings;
        BaseAddress = new Uri($"http://127.0.0.1:{FreePort()}");
    }

    public Uri BaseAddress { get; }

    public string Output { get { lock (_output) return string.Join(Environment.NewLine, _output.TakeLast(80)); } }

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet", [_assemblyPath, "--urls", BaseAddress.ToString()])
        {
            WorkingDirectory = Path.GetDirectoryName(_assemblyPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        foreach (var (key, value) in _settings) start.Environment[key.Replace(":", "__")] = value;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.Add(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.Add(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = BaseAddress };
        await Eventually.Until(async () =>
        {
            if (_process.HasExited) throw new InvalidOperationException($"The service exited: {Output}");
            return (await http.GetAsync("/health/ready")).StatusCode;
        }, status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "the service to be ready");
    }

    /// <summary>SIGKILL: no graceful shutdown, nothing flushed.</summary>
    public async Task KillAsync()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public TApi Client<TApi>(string role, string subject = "test-user") =>
        ApiClients.Create<TApi>(new HttpClient { BaseAddress = BaseAddress }, DevelopmentTokens.Create(role, subject));

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AssetRecovery.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("AssetRecovery.sln not found above the test binaries.");
    }

    /// <summary>The configuration the tests were built in (bin/Release or bin/Debug), so the service is the same build.</summary>
    private static string BuildConfiguration() =>
        new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
