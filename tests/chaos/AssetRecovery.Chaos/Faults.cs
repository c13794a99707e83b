using System.Diagnostics;

namespace AssetRecovery.Chaos;

/// <summary>Runs the control subcommands of deploy/chaos.sh (kill and start a service, stop and start a server).</summary>
public sealed class SystemControl(string script)
{
    public async Task RunAsync(params string[] verb)
    {
        var start = new ProcessStartInfo("bash", [script, "control", .. verb]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"control {string.Join(' ', verb)} failed ({process.ExitCode}): {await output}{await errors}");
    }
}

/// <summary>When a fault put the system out of order, for counting the answers given meanwhile.</summary>
public sealed record OutageWindow(DateTimeOffset From, DateTimeOffset Until)
{
    public bool Contains(DateTimeOffset at) => at >= From && at <= Until;
}

/// <summary>One fault: what it is called in the table and how it is done.</summary>
public sealed record Fault(string Name, string Description, bool DatabaseOutage, Func<SystemControl, ChaosOptions, Task<OutageWindow>> InjectAsync);

public static class FaultCatalog
{
    public static readonly IReadOnlyList<Fault> All =
    [
        new("kill-freeze", "kill -9 the freeze service, start it again", false, (control, _) => KillAndRestartAsync(control, "freeze")),
        new("kill-seizure", "kill -9 the seizure service (consumer of the freeze events), start it again", false,
            (control, _) => KillAndRestartAsync(control, "seizure")),
        new("rabbitmq-stop", "stop RabbitMQ, start it again", false, async (control, options) =>
        {
            var from = DateTimeOffset.UtcNow;
            await control.RunAsync("rabbit-stop");
            await Task.Delay(options.RabbitOutage);
            await control.RunAsync("rabbit-start");
            return new OutageWindow(from, DateTimeOffset.UtcNow);
        }),
        new("postgres-restart", "stop PostgreSQL (immediate: a crash), start it again", true, async (control, options) =>
        {
            await control.RunAsync("pg-stop");
            // The window opens once the server is down, so that every request counted in it met a dead database.
            var from = DateTimeOffset.UtcNow;
            await Task.Delay(options.PostgresOutage);
            var until = DateTimeOffset.UtcNow;
            await control.RunAsync("pg-start");
            return new OutageWindow(from, until);
        }),
    ];

    public static readonly IReadOnlyList<string> Names = All.Select(f => f.Name).ToList();

    private static async Task<OutageWindow> KillAndRestartAsync(SystemControl control, string service)
    {
        var from = DateTimeOffset.UtcNow;
        await control.RunAsync("kill", service);
        // A moment down, as after a crash, before the supervisor (here: the script) starts it again; start waits until ready.
        await Task.Delay(TimeSpan.FromSeconds(2));
        await control.RunAsync("start", service);
        return new OutageWindow(from, DateTimeOffset.UtcNow);
    }
}
