using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AssetRecovery.ServiceDefaults;

/// <summary>How large a request body may be (section "HttpLimits").</summary>
public sealed class HttpLimitsOptions
{
    public const string Section = "HttpLimits";

    /// <summary>Every endpoint's limit unless it is a bulk upload: a single freeze or claim is a few kilobytes.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Bulk uploads (endpoints that accept text/csv: the freeze batch of 10,000 rows, the transaction import of 100,000
    /// rows) need more; this is also Kestrel's hard ceiling for every request.
    /// </summary>
    public long MaxBulkUploadBodyBytes { get; set; } = 32 * 1024 * 1024;
}

/// <summary>Marks an endpoint whose JSON body may be as large as a bulk upload (see <see cref="BulkBodies"/>).</summary>
public sealed class BulkBodyMetadata;

public static class BulkBodies
{
    /// <summary>
    /// The bulk upload limit (HttpLimits:MaxBulkUploadBodyBytes) instead of the default for this endpoint: for JSON bodies
    /// that are large by nature, such as a court order naming up to 100,000 victims.
    /// </summary>
    public static TBuilder AcceptsBulkBody<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new BulkBodyMetadata());
}

/// <summary>Per-client request rate (section "RateLimiting"): a fixed window per token subject, or per remote IP without a token.</summary>
public sealed class RateLimitingOptions
{
    public const string Section = "RateLimiting";
    public bool Enabled { get; set; } = true;

    /// <summary>Generous by default (200 requests a second per client, sustained): it stops floods, not busy officers or the tests.</summary>
    public int PermitLimit { get; set; } = 2000;

    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>Cross-cutting HTTP hardening: body size limits, rate limits, security headers, ProblemDetails for 403.</summary>
internal static class HttpHardening
{
    public static void AddHttpHardening(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<HttpLimitsOptions>(configuration.GetSection(HttpLimitsOptions.Section));
        services.Configure<RateLimitingOptions>(configuration.GetSection(RateLimitingOptions.Section));
        // Kestrel's own ceiling is the bulk limit; the middleware below applies the tighter per-endpoint limit.
        services.AddOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>().Configure<IOptions<HttpLimitsOptions>>((kestrel, limits) =>
            kestrel.Limits.MaxRequestBodySize = limits.Value.MaxBulkUploadBodyBytes);
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, RoleForbiddenProblemHandler>();

        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitingOptions>>((limiter, configured) =>
        {
            var settings = configured.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                !settings.Enabled || http.Request.Path.StartsWithSegments("/health")
                    ? RateLimitPartition.GetNoLimiter("unlimited")
                    : RateLimitPartition.GetFixedWindowLimiter(ClientKey(http), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = settings.PermitLimit, Window = settings.Window, QueueLimit = 0, AutoReplenishment = true,
                    }));
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var http = rejected.HttpContext;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : settings.Window;
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await WriteProblemAsync(http, new ProblemDetails
                {
                    Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests.",
                    Detail = "This client has sent too many requests; retry after the time in the Retry-After header.",
                });
            };
        });
    }

    /// <summary>The token's subject when there is one (one officer behind a NAT is not everyone), else the remote address.</summary>
    private static string ClientKey(HttpContext http) =>
        http.User.FindFirstValue(JwtClaims.Subject) is { Length: > 0 } subject
            ? "sub:" + subject
            : "ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    /// <summary>Headers on every answer, set only where the endpoint has not set its own (the portal sets a stricter set and a CSP).</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            if (!headers.ContainsKey("X-Content-Type-Options")) headers.XContentTypeOptions = "nosniff";
            if (!headers.ContainsKey("X-Frame-Options")) headers.XFrameOptions = "DENY";
            if (!headers.ContainsKey("Referrer-Policy")) headers["Referrer-Policy"] = "no-referrer";
            return Task.CompletedTask;
        });
        return next(http);
    });

    /// <summary>
    /// The body limit of the endpoint: its own request-size metadata if it declares one, the bulk limit for uploads
    /// (endpoints that accept text/csv), else the default. A declared Content-Length over it is refused before anything is
    /// read; a body without one is cut off as it is read. Either way the answer is a 413 ProblemDetails.
    /// </summary>
    public static IApplicationBuilder UseRequestBodyLimits(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var limits = http.RequestServices.GetRequiredService<IOptions<HttpLimitsOptions>>().Value;
        var limit = BodyLimit(http.GetEndpoint(), limits);
        if (limit is null)
        {
            await next(http);
            return;
        }
        if (http.Request.ContentLength > limit)
            throw new BadHttpRequestException($"The request body is larger than {limit} bytes.", StatusCodes.Status413PayloadTooLarge);

        var limited = new BodyLimitStream(http.Request.Body, limit.Value);
        http.Request.Body = limited;
        await next(http);
        // Minimal APIs treat a failed body read as an I/O error and answer nothing; say what happened instead.
        if (limited.Exceeded && !http.Response.HasStarted)
        {
            http.Response.Clear();
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await WriteProblemAsync(http, new ProblemDetails
            {
                Status = StatusCodes.Status413PayloadTooLarge, Title = "The request body is too large.",
                Detail = $"The request body is larger than {limit} bytes.",
            });
        }
    });

    private static long? BodyLimit(Endpoint? endpoint, HttpLimitsOptions limits)
    {
        if (endpoint?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { } declared) return declared.MaxRequestBodySize;
        var acceptsCsv = endpoint?.Metadata.GetOrderedMetadata<IAcceptsMetadata>()
            .Any(a => a.ContentTypes.Any(t => t.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))) == true;
        var bulkJson = endpoint?.Metadata.GetMetadata<BulkBodyMetadata>() is not null;
        return acceptsCsv || bulkJson ? limits.MaxBulkUploadBodyBytes : limits.MaxRequestBodyBytes;
    }

    private static async Task WriteProblemAsync(HttpContext http, ProblemDetails problem)
    {
        http.Response.StatusCode = problem.Status!.Value;
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem }))
            await http.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }

    /// <summary>A bank liaison officer whose token names no bank may do nothing: what they may see depends on it.</summary>
    public static IApplicationBuilder UseLiaisonBankCodeRule(this IApplicationBuilder app)
    {
        var rule = app.ApplicationServices.GetRequiredService<LiaisonBankCodeRule>();
        return app.Use(async (http, next) =>
        {
            if (rule.Refuses(http.User))
            {
                await WriteProblemAsync(http, new ProblemDetails
                {
                    Status = StatusCodes.Status403Forbidden, Title = "Forbidden.",
                    Detail = "A bank liaison officer's token must name their bank (claim 'bank_code').", Extensions = { ["rule"] = "bank_code" },
                });
                return;
            }
            await next(http);
        });
    }

    /// <summary>
    /// A role that may not use an endpoint gets a 403 ProblemDetails saying so (rule "role"), distinct from a 403 about one
    /// resource (a victim reaching for another's claim); no token, or a bad one, stays a 401 challenge.
    /// </summary>
    private sealed class RoleForbiddenProblemHandler : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler _default = new();

        public async Task HandleAsync(RequestDelegate next, HttpContext http, AuthorizationPolicy policy, PolicyAuthorizationResult result)
        {
            if (result.Forbidden && http.User.Identity?.IsAuthenticated == true)
            {
                http.Response.StatusCode = StatusCodes.Status403Forbidden;
                await WriteProblemAsync(http, new ProblemDetails
                {
                    Status = StatusCodes.Status403Forbidden, Title = "Forbidden.",
                    Detail = "Your role may not use this operation.", Extensions = { ["rule"] = "role" },
                });
                return;
            }
            await _default.HandleAsync(next, http, policy, result);
        }
    }

    /// <summary>Counts what is read and stops past the limit; also notices when the server's own limit stopped the read.</summary>
    private sealed class BodyLimitStream(Stream inner, long limit) : Stream
    {
        private long _read;
        public bool Exceeded { get; private set; }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int count;
            try { count = await inner.ReadAsync(buffer, cancellationToken); }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                Exceeded = true;
                throw;
            }
            return Count(count);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        private int Count(int count)
        {
            _read += count;
            if (_read <= limit) return count;
            Exceeded = true;
            throw new BadHttpRequestException($"The request body is larger than {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
