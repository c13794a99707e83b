using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AssetRecovery.ServiceDefaults;

/// <summary>
/// PostgreSQL cannot store U+0000 in text or jsonb: a NUL that reached a query or a document failed with a 500 (found by
/// the security fuzz on the freeze batch). It is never meaningful input, so it is refused at the edge with a 400.
/// </summary>
internal static class NulCharacters
{
    /// <summary>JSON strings: a NUL fails binding, which answers 400 naming the request as unreadable.</summary>
    public sealed class RefusingStringConverter : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var value = reader.GetString();
            return value is not null && value.Contains('\0') ? throw new JsonException("must not contain NUL characters (\\u0000).") : value;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }

    /// <summary>Path and query values (decoded): a NUL is refused before any endpoint runs.</summary>
    public static IApplicationBuilder UseNulRefusal(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        var request = http.Request;
        if ((request.Path.Value?.Contains('\0') ?? false)
            || request.Query.Any(q => q.Key.Contains('\0') || q.Value.Any(v => v?.Contains('\0') == true)))
            throw new BadHttpRequestException("The path or query holds a NUL character (%00).", StatusCodes.Status400BadRequest);
        return next(http);
    });
}
