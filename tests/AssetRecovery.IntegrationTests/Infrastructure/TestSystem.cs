using AssetRecovery.Clients;
using AssetRecovery.ServiceDefaults;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AssetRecovery.IntegrationTests.Infrastructure;

/// <summary>
/// One isolated AssetRecovery system on the shared servers: its own event-store, scheduler and document schemas and
/// its own RabbitMQ vhost, so test classes never see each other's data or messages. Dropped at the end.
/// </summary>
public sealed class TestSystem : IAsyncDisposable
{
    private readonly Infrastructure _infrastructure;
    private readonly Dictionary<string, string?> _overrides;
    private readonly List<IAsyncDisposable> _hosts = [];

    private TestSystem(Infrastructure infrastructure, string id, Dictionary<string, string?> overrides)
    {
        _infrastructure = infrastructure;
        Id = id;
        _overrides = overrides;
    }

    public string Id { get; }
    public string EventsSchema => $"{Id}_events";
    public string SchedulerSchema => $"{Id}_messaging";
    public string VirtualHost => Id;
    public Infrastructure Infrastructure => _infrastructure;

    public static async Task<TestSystem> StartAsync(Infrastructure infrastructure, IDictionary<string, string?>? overrides = null)
    {
        var system = new TestSystem(infrastructure, $"t{Guid.NewGuid():N}"[..13], new(overrides ?? new Dictionary<string, string?>()));
        await infrastructure.CreateVirtualHostAsync(system.VirtualHost);
        return system;
    }

    public string DocumentsSchema(string service) => $"{Id}_{service.Replace('-', '_')}";

    /// <summary>Configuration a service of this system runs with (also used for out-of-process hosts).</summary>
    public Dictionary<string, string?> Settings(string service, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = _infrastructure.PostgresConnectionString,
            ["RabbitMq:Host"] = _infrastructure.Rabbit.Host,
            ["RabbitMq:Port"] = _infrastructure.Rabbit.Port.ToString(),
            ["RabbitMq:VirtualHost"] = VirtualHost,
            ["RabbitMq:Username"] = _infrastructure.Rabbit.Username,
            ["RabbitMq:Password"] = _infrastructure.Rabbit.Password,
            ["EventStore:EventsSchema"] = EventsSchema,
            ["EventStore:DocumentsSchema"] = DocumentsSchema(service),
            ["Scheduler:Schema"] = SchedulerSchema,
            ["Scheduler:PollInterval"] = "00:00:00.200",
        };
        foreach (var (key, value) in _overrides) settings[key] = value;
        if (extra is not null) foreach (var (key, value) in extra) settings[key] = value;
        return settings;
    }

    /// <summary>Starts a service in-process (TestServer); the marker is the service's definition class.</summary>
    public ServiceHost<TService> Start<TService>(string service, IDictionary<string, string?>? extra = null,
        Action<IServiceCollection>? configureServices = null) where TService : class
    {
        var host = new ServiceHost<TService>(Settings(service, extra), configureServices);
        _hosts.Add(host);
        host.StartServer();
        host.WaitUntilReady();
        return host;
    }

    public async Task<long> CountEventsAsync()
    {
        await using var dataSource = _infrastructure.CreateDataSource();
        await using var command = dataSource.CreateCommand(
            $"SELECT count(*) FROM information_schema.tables WHERE table_schema = '{EventsSchema}' AND table_name = 'mt_events'");
        if ((long)(await command.ExecuteScalarAsync())! == 0) return 0;
        await using var count = dataSource.CreateCommand($"SELECT count(*) FROM {EventsSchema}.mt_events");
        return (long)(await count.ExecuteScalarAsync())!;
    }

    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var dataSource = _infrastructure.CreateDataSource();
        await using var command = dataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts)) await host.DisposeAsync();
        await _infrastructure.DeleteVirtualHostAsync(VirtualHost);
        await using var dataSource = _infrastructure.CreateDataSource();
        await using var command = dataSource.CreateCommand(
            $"SELECT string_agg(format('DROP SCHEMA IF EXISTS %I CASCADE;', nspname), ' ') FROM pg_namespace WHERE nspname LIKE '{Id}\\_%'");
        if (await command.ExecuteScalarAsync() is string drop)
        {
            await using var dropping = dataSource.CreateCommand(drop);
            await dropping.ExecuteNonQueryAsync();
        }
    }
}

/// <summary>A service host in-process, in Development, with the test system's settings.</summary>
public sealed class ServiceHost<TService>(IDictionary<string, string?> settings, Action<IServiceCollection>? configureServices)
    : WebApplicationFactory<TService> where TService : class
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        if (configureServices is not null) builder.ConfigureServices(configureServices);
    }

    /// <summary>A client with a development token; tests that move the service's clock ask for a lifetime that spans it.</summary>
    public TApi Client<TApi>(string role, string subject = "test-user", TimeSpan? tokenLifetime = null) =>
        ApiClients.Create<TApi>(CreateClient(), DevelopmentTokens.Create(role, subject, lifetime: tokenLifetime));

    /// <summary>
    /// Ready means the bus has bound its queues too: a message published before that would reach an exchange with no
    /// binding and be dropped by RabbitMQ.
    /// </summary>
    public void WaitUntilReady()
    {
        using var http = CreateClient();
        Eventually.Until(async () => (await http.GetAsync("/health/ready")).StatusCode, s => s == System.Net.HttpStatusCode.OK,
            TimeSpan.FromSeconds(60), $"{typeof(TService).Name} to be ready").GetAwaiter().GetResult();
    }

    public HttpClient HttpClient(string? bearerToken = null)
    {
        var client = CreateClient();
        if (bearerToken is not null)
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearerToken);
        return client;
    }
}
