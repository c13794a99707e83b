using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Refit;

namespace AssetRecovery.Clients;

/// <summary>Creates the source-generated Refit clients with the JSON settings the services use.</summary>
public static class ApiClients
{
    public static readonly RefitSettings Settings = new(new SystemTextJsonContentSerializer(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    }));

    /// <summary>A client over an existing HttpClient (its BaseAddress and handlers are used as they are).</summary>
    public static TApi Create<TApi>(HttpClient httpClient) => RestService.ForGenerated<TApi>(httpClient, Settings);

    /// <summary>A client whose every request carries the given bearer token.</summary>
    public static TApi Create<TApi>(HttpClient httpClient, string bearerToken)
    {
        httpClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        return Create<TApi>(httpClient);
    }

    /// <summary>Registers a typed client for calls between services and from integrators.</summary>
    public static IHttpClientBuilder AddAssetRecoveryClient<TApi>(this IServiceCollection services, Uri baseAddress) where TApi : class =>
        services.AddRefitGeneratedClient<TApi>(_ => Settings).ConfigureHttpClient(c => c.BaseAddress = baseAddress);
}
