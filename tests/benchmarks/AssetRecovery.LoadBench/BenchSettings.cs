using Npgsql;

namespace AssetRecovery.LoadBench;

/// <summary>Where the running system is and how big each measurement is (environment variables override the defaults).</summary>
public sealed record BenchSettings
{
    public required string RepositoryRoot { get; init; }
    public Uri FreezeUrl { get; init; } = new("http://127.0.0.1:5101");
    public Uri SeizureUrl { get; init; } = new("http://127.0.0.1:5102");
    public Uri RestitutionUrl { get; init; } = new("http://127.0.0.1:5103");
    public required string Postgres { get; init; }
    public string RabbitHost { get; init; } = "127.0.0.1";
    public int RabbitManagementPort { get; init; } = 15672;
    public string RabbitVirtualHost { get; init; } = "assetrecovery";
    public string RabbitUser { get; init; } = "assetrecovery";
    public string RabbitPassword { get; init; } = "assetrecovery";

    /// <summary>Makes this run's case numbers and account numbers its own, so runs and other engineers' data never meet.</summary>
    public string RunId { get; init; } = DateTimeOffset.UtcNow.ToString("MMddHHmmss");

    /// <summary>Requests sent flat out (8 clients) before intake is measured, so that it measures services past their JIT compilation.</summary>
    public int WarmupRequests { get; init; } = Env("BENCH_WARMUP_REQUESTS", 3_000);
    public int RateClients { get; init; } = Env("BENCH_RATE_CLIENTS", 16);
    public int OfferedRate { get; init; } = Env("BENCH_RATE", 200);
    public int RateSeconds { get; init; } = Env("BENCH_RATE_SECONDS", 20);
    public int FlatOutClients { get; init; } = Env("BENCH_FLATOUT_CLIENTS", 32);
    public int FlatOutRequests { get; init; } = Env("BENCH_FLATOUT_REQUESTS", 10_000);
    public int BulkRows { get; init; } = Env("BENCH_BULK_ROWS", 10_000);
    public int Victims { get; init; } = Env("BENCH_VICTIMS", 100_000);

    public static BenchSettings FromEnvironment(string repositoryRoot)
    {
        var postgres = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres")
            ?? "Host=127.0.0.1;Port=5432;Database=assetrecovery;Username=assetrecovery;Password=assetrecovery";
        return new BenchSettings
        {
            RepositoryRoot = repositoryRoot,
            Postgres = postgres,
            RabbitHost = Environment.GetEnvironmentVariable("RabbitMq__Host") ?? "127.0.0.1",
            RabbitManagementPort = Env("RabbitMq__ManagementPort", 15672),
            RabbitVirtualHost = Environment.GetEnvironmentVariable("RabbitMq__VirtualHost") ?? "assetrecovery",
            RabbitUser = Environment.GetEnvironmentVariable("RabbitMq__Username") ?? "assetrecovery",
            RabbitPassword = Environment.GetEnvironmentVariable("RabbitMq__Password") ?? "assetrecovery",
        };
    }

    public NpgsqlDataSource OpenDatabase() => NpgsqlDataSource.Create(Postgres);

    private static int Env(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) && value > 0 ? value : fallback;
}
