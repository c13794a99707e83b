using System.Security.Cryptography;
using System.Text.Json;
using AssetRecovery.BuildingBlocks;
using Marten;
using Microsoft.AspNetCore.Http;

namespace AssetRecovery.ServiceDefaults;

/// <summary>An Idempotency-Key as used: by whom and for which operation (the scope), for what request, and what it produced.</summary>
public sealed record IdempotencyRecord(string Id, string RequestHash, Guid ResourceId, DateTimeOffset CreatedAt);

/// <summary>The Idempotency-Key header: a retry with the same key and the same request gets the first answer.</summary>
public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";

    public static string? Read(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(Header, out var values)) return null;
        var key = values.ToString();
        var v = new Validator();
        if (string.IsNullOrWhiteSpace(key) || key.Length > 128 || key.Any(char.IsControl))
            v.Add(Header, "must be 1 to 128 printable characters.");
        v.ThrowIfInvalid();
        return key;
    }

    /// <summary>Keys are per caller and per operation: two officers may use the same key without meeting.</summary>
    public static string Scope(string operation, string subject) => $"{operation}/{subject}";

    public static string Hash<T>(T request) => Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request)));

    /// <summary>What an earlier use of the key produced; a different request under the same key is refused (422).</summary>
    public static async Task<Guid?> FindAsync(IQuerySession session, string scope, string key, string requestHash, CancellationToken ct)
    {
        if (await session.LoadAsync<IdempotencyRecord>(Id(scope, key), ct) is not { } record) return null;
        if (record.RequestHash != requestHash)
            throw new UnprocessableRequestException("idempotency-key.reused", $"The {Header} '{key}' was already used for a different request.");
        return record.ResourceId;
    }

    /// <summary>Inserted with what it produced: a concurrent first use of the same key conflicts and, retried, finds this one.</summary>
    public static void Remember(IDocumentSession session, string scope, string key, string requestHash, Guid resourceId, DateTimeOffset now) =>
        session.Insert(new IdempotencyRecord(Id(scope, key), requestHash, resourceId, now));

    private static string Id(string scope, string key) => $"{scope}/{key}";
}
