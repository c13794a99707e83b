using System.Net.Http.Headers;
using System.Text;
using Npgsql;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace AssetRecovery.IntegrationTests.Infrastructure;

/// <summary>Where the tests' RabbitMQ is, and the credentials of a user that may manage vhosts.</summary>
public sealed record RabbitServer(string Host, ushort Port, ushort ManagementPort, string Username, string Password);

/// <summary>
/// The real PostgreSQL and RabbitMQ for the whole run: taken from the environment that deploy/test.sh sets
/// (ConnectionStrings__Postgres, RabbitMq__*), otherwise started with Testcontainers where Docker is available.
/// </summary>
public sealed class Infrastructure : IAsyncLifetime
{
    private PostgreSqlContainer? _postgres;
    private RabbitMqContainer? _rabbit;

    public string PostgresConnectionString { get; private set; } = "";
    public RabbitServer Rabbit { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres");
        var rabbitHost = Environment.GetEnvironmentVariable("RabbitMq__Host");
        if (!string.IsNullOrEmpty(connectionString) && !string.IsNullOrEmpty(rabbitHost))
        {
            PostgresConnectionString = connectionString;
            Rabbit = new RabbitServer(rabbitHost,
                ushort.Parse(Environment.GetEnvironmentVariable("RabbitMq__Port") ?? "5672"),
                ushort.Parse(Environment.GetEnvironmentVariable("RabbitMq__ManagementPort") ?? "15672"),
                Environment.GetEnvironmentVariable("RabbitMq__Username") ?? "guest",
                Environment.GetEnvironmentVariable("RabbitMq__Password") ?? "guest");
            return;
        }

        try
        {
            _postgres = new PostgreSqlBuilder("postgres:15").WithCommand("-c", "max_connections=300").Build();
            _rabbit = new RabbitMqBuilder("rabbitmq:3.10-management").WithPortBinding(15672, true)
                .WithUsername("assetrecovery").WithPassword("assetrecovery").Build();
            await Task.WhenAll(_postgres.StartAsync(), _rabbit.StartAsync());
        }
        catch (Exception e) when (e.GetType().Name.Contains("Docker", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                "No PostgreSQL/RabbitMQ: run the tests through deploy/test.sh (it starts them and sets ConnectionStrings__Postgres " +
                "and RabbitMq__*), or on a machine with Docker for Testcontainers.", e);
        }
        PostgresConnectionString = _postgres.GetConnectionString();
        Rabbit = new RabbitServer(_rabbit.Hostname, _rabbit.GetMappedPublicPort(5672), _rabbit.GetMappedPublicPort(15672),
            "assetrecovery", "assetrecovery");
    }

    public async Task DisposeAsync()
    {
        if (_postgres is not null) await _postgres.DisposeAsync();
        if (_rabbit is not null) await _rabbit.DisposeAsync();
    }

    public NpgsqlDataSource CreateDataSource() => NpgsqlDataSource.Create(PostgresConnectionString);

    /// <summary>A vhost of its own keeps one test system's queues away from every other's.</summary>
    public async Task CreateVirtualHostAsync(string vhost)
    {
        using var http = ManagementClient();
        (await http.PutAsync($"api/vhosts/{vhost}", Json("{}"))).EnsureSuccessStatusCode();
        (await http.PutAsync($"api/permissions/{vhost}/{Uri.EscapeDataString(Rabbit.Username)}",
            Json("""{"configure":".*","write":".*","read":".*"}"""))).EnsureSuccessStatusCode();
    }

    public async Task DeleteVirtualHostAsync(string vhost)
    {
        using var http = ManagementClient();
        await http.DeleteAsync($"api/vhosts/{vhost}");
    }

    /// <summary>Declares an exchange ahead of the services, e.g. with a type they do not expect.</summary>
    public async Task DeclareExchangeAsync(string vhost, string name, string type)
    {
        using var http = ManagementClient();
        (await http.PutAsync($"api/exchanges/{vhost}/{Uri.EscapeDataString(name)}",
            Json($$"""{"type":"{{type}}","durable":true}"""))).EnsureSuccessStatusCode();
    }

    /// <summary>Messages waiting in the vhost's queues whose names contain the given text (e.g. "_error").</summary>
    public async Task<string> QueuesAsync(string vhost)
    {
        using var http = ManagementClient();
        return await http.GetStringAsync($"api/queues/{vhost}?columns=name,messages");
    }

    private HttpClient ManagementClient()
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://{Rabbit.Host}:{Rabbit.ManagementPort}/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Rabbit.Username}:{Rabbit.Password}")));
        return http;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}

[CollectionDefinition(Name)]
public sealed class SystemCollection : ICollectionFixture<Infrastructure>
{
    public const string Name = "real PostgreSQL and RabbitMQ";
}
