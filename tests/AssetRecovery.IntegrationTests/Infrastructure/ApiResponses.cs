using Refit;

namespace AssetRecovery.IntegrationTests.Infrastructure;

public static class ApiResponses
{
    /// <summary>The body of an error answer (a ProblemDetails document).</summary>
    public static string ErrorContent(this IApiResponse response) => (response.Error as ApiException)?.Content ?? "";

    public static string? ErrorMediaType(this IApiResponse response) =>
        (response.Error as ApiException)?.ContentHeaders?.ContentType?.MediaType;
}
