namespace AssetRecovery.Chaos;

/// <summary>
/// What the fault suite runs against and how hard it pushes. deploy/chaos.sh passes the addresses of the private
/// PostgreSQL, RabbitMQ and services it started; the suite never touches the shared servers.
/// </summary>
public sealed record ChaosOptions
{
    public required Uri FreezeUrl { get; init; }
    public required string PostgresConnectionString { get; init; }
    /// <summary>RabbitMQ management API of the private node, to read queue depths and error-queue entries.</summary>
    public required Uri RabbitManagementUrl { get; init; }
    public required string RabbitVirtualHost { get; init; }
    public required string RabbitUsername { get; init; }
    public required string RabbitPassword { get; init; }
    /// <summary>The script whose "control VERB" subcommands kill and start services and stop and start the servers.</summary>
    public required string ControlScript { get; init; }
    public IReadOnlyList<string> Faults { get; init; } = FaultCatalog.Names;
    public double RequestsPerSecond { get; init; } = 8;
    public TimeSpan LoadBeforeFault { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan LoadAfterRecovery { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan RabbitOutage { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan PostgresOutage { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>An answer slower than this counts as a hang.</summary>
    public TimeSpan ClientTimeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>How long the system gets after the load to bring every saga and queue to rest.</summary>
    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromSeconds(150);
    public string EventsSchema { get; init; } = "events";
    public string FreezeSchema { get; init; } = "freeze_service";
    public string SeizureSchema { get; init; } = "seizure_service";
    public string SchedulerSchema { get; init; } = "messaging";
    /// <summary>Every service's document schema: each keeps the inbox of the messages its endpoints processed.</summary>
    public IReadOnlyList<string> ServiceSchemas { get; init; } = ["freeze_service", "seizure_service", "restitution_service", "victim_claim_service"];

    /// <summary>--name value pairs; the names are the property names in kebab case (--freeze-url, --faults, ...).</summary>
    public static ChaosOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"Expected --name value pairs, got '{args[i]}'.");
            values[args[i][2..]] = args[++i];
        }
        string Required(string name) => values.TryGetValue(name, out var value) ? value
            : throw new ArgumentException($"--{name} is required.");
        TimeSpan Seconds(string name, TimeSpan fallback) =>
            values.TryGetValue(name, out var value) ? TimeSpan.FromSeconds(double.Parse(value, System.Globalization.CultureInfo.InvariantCulture)) : fallback;

        var defaults = new ChaosOptions
        {
            FreezeUrl = null!, PostgresConnectionString = null!, RabbitManagementUrl = null!,
            RabbitVirtualHost = null!, RabbitUsername = null!, RabbitPassword = null!, ControlScript = null!,
        };
        var faults = values.TryGetValue("faults", out var list) ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : FaultCatalog.Names.ToArray();
        foreach (var fault in faults)
            if (!FaultCatalog.Names.Contains(fault)) throw new ArgumentException($"Unknown fault '{fault}'; known: {string.Join(", ", FaultCatalog.Names)}.");

        return defaults with
        {
            FreezeUrl = new Uri(Required("freeze-url")),
            PostgresConnectionString = Required("postgres"),
            RabbitManagementUrl = new Uri(Required("rabbit-management-url")),
            RabbitVirtualHost = Required("rabbit-vhost"),
            RabbitUsername = Required("rabbit-user"),
            RabbitPassword = Required("rabbit-password"),
            ControlScript = Required("control"),
            Faults = faults,
            RequestsPerSecond = values.TryGetValue("rate", out var rate) ? double.Parse(rate, System.Globalization.CultureInfo.InvariantCulture) : defaults.RequestsPerSecond,
            LoadBeforeFault = Seconds("load-before", defaults.LoadBeforeFault),
            LoadAfterRecovery = Seconds("load-after", defaults.LoadAfterRecovery),
            RabbitOutage = Seconds("rabbit-outage", defaults.RabbitOutage),
            PostgresOutage = Seconds("postgres-outage", defaults.PostgresOutage),
            SettleTimeout = Seconds("settle-timeout", defaults.SettleTimeout),
            ClientTimeout = Seconds("client-timeout", defaults.ClientTimeout),
        };
    }
}
