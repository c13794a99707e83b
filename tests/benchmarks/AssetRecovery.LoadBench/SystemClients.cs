using AssetRecovery.Clients;
using AssetRecovery.ServiceDefaults;

namespace AssetRecovery.LoadBench;

/// <summary>Refit clients of the running services, each signed in as its own subject (the rate limit is per subject).</summary>
public sealed class SystemClients(BenchSettings settings) : IDisposable
{
    // One connection pool for every client, as a load generator with many users on one machine would have.
    private readonly SocketsHttpHandler _handler = new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        MaxConnectionsPerServer = 256,
    };

    public TApi Create<TApi>(Uri baseAddress, string role, string subject) =>
        ApiClients.Create<TApi>(new HttpClient(_handler, disposeHandler: false) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) },
            DevelopmentTokens.Create(role, subject));

    public TApi Freeze<TApi>(string role, string subject) => Create<TApi>(settings.FreezeUrl, role, subject);

    public void Dispose() => _handler.Dispose();
}

public static class ApiAnswers
{
    /// <summary>A failed answer in a line: the status and the start of its ProblemDetails body.</summary>
    public static string Failure(this Refit.IApiResponse response)
    {
        var body = (response.Error as Refit.ApiException)?.Content ?? response.Error?.Message ?? "";
        return $"{(int?)response.StatusCode} {(body.Length > 300 ? body[..300] + "…" : body)}";
    }
}
