using System.Reflection;
using AssetRecovery.BuildingBlocks;
using AssetRecovery.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace AssetRecovery.VictimClaim.Portal;

public sealed class PortalOptions
{
    public const string Section = "Portal";
    /// <summary>Development sign-in: any name, a victim token signed with the development key. Never outside Development.</summary>
    public bool DevelopmentSignIn { get; set; } = true;
    /// <summary>The OIDC provider victims sign in with in production (authorization code with PKCE, a public client).</summary>
    public OidcSettings? Oidc { get; set; }
}

public sealed record OidcSettings(string Authority, string ClientId, string Scope = "openid profile");

public sealed record PortalConfiguration(bool DevelopmentSignIn, OidcSettings? Oidc);

public sealed record DevelopmentSignInRequest(string? Subject, string? Name);

public sealed record DevelopmentSignInResponse(string AccessToken, string Subject, string Name, DateTimeOffset ExpiresAt);

/// <summary>
/// The victims' portal: one page and its script, served by this service and talking to its REST API with the victim's
/// bearer token. The page itself is public; everything it shows comes from the API under the token.
/// </summary>
public static class PortalEndpoints
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["portal.js"] = "text/javascript; charset=utf-8",
        ["portal.css"] = "text/css; charset=utf-8",
    };

    public static IEndpointRouteBuilder MapPortal(this IEndpointRouteBuilder app)
    {
        var portal = app.MapGroup("/portal").WithTags("Portal").AllowAnonymous();
        portal.MapGet("/", (HttpContext http, IOptions<PortalOptions> options) => Asset(http, "index.html", options.Value))
            .WithName("Portal").WithSummary("The victims' portal page.").ExcludeFromDescription();
        portal.MapGet("/{file}", (string file, HttpContext http, IOptions<PortalOptions> options) =>
                ContentTypes.ContainsKey(file) ? Asset(http, file, options.Value) : Results.NotFound())
            .ExcludeFromDescription();
        portal.MapGet("/api/config", (IOptions<PortalOptions> options, IHostEnvironment environment) =>
                new PortalConfiguration(DevelopmentSignInAllowed(options.Value, environment), options.Value.Oidc))
            .WithName("GetPortalConfiguration").WithSummary("How victims sign in here: development sign-in and/or an OIDC provider.")
            .Produces<PortalConfiguration>();
        portal.MapPost("/api/dev-sign-in", DevelopmentSignIn)
            .WithName("DevelopmentSignIn")
            .WithSummary("Development only: a victim token for the given name (404 elsewhere).")
            .Produces<DevelopmentSignInResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static IResult DevelopmentSignIn(DevelopmentSignInRequest request, IOptions<PortalOptions> options, IHostEnvironment environment,
        TimeProvider clock)
    {
        if (!DevelopmentSignInAllowed(options.Value, environment)) throw new ResourceNotFoundException("Endpoint", "dev-sign-in");
        var v = new Validator().Required("subject", request.Subject, 64);
        if (request.Name is not null) v.Required("name", request.Name, 200);
        v.ThrowIfInvalid();
        var now = clock.GetUtcNow();
        var lifetime = TimeSpan.FromHours(8);
        var subject = request.Subject!.Trim();
        var name = request.Name?.Trim() ?? subject;
        return Results.Ok(new DevelopmentSignInResponse(DevelopmentTokens.Create(Roles.Victim, subject, name, lifetime, now: now), subject, name,
            now + lifetime));
    }

    private static bool DevelopmentSignInAllowed(PortalOptions options, IHostEnvironment environment) =>
        options.DevelopmentSignIn && environment.IsDevelopment();

    /// <summary>The page's files, with headers that keep it from being framed, sniffed or fed foreign scripts.</summary>
    private static IResult Asset(HttpContext http, string file, PortalOptions options)
    {
        var headers = http.Response.Headers;
        var connect = options.Oidc is { } oidc && Uri.TryCreate(oidc.Authority, UriKind.Absolute, out var authority)
            ? $"'self' {authority.GetLeftPart(UriPartial.Authority)}"
            : "'self'";
        headers.ContentSecurityPolicy = $"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src {connect}; " +
                                        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"portal/{file}")
                           ?? throw new InvalidOperationException($"The portal file {file} is not embedded.");
        using var reader = new StreamReader(stream);
        return Results.Content(reader.ReadToEnd(), ContentTypes[file]);
    }
}
