using AssetRecovery.BuildingBlocks;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Clients.Seizure;
using AssetRecovery.Contracts.Seizure;
using AssetRecovery.Messaging;
using AssetRecovery.Seizure.Domain;
using AssetRecovery.ServiceDefaults;
using Marten;

namespace AssetRecovery.Seizure.Features;

public static class AssetEndpoints
{
    public static IEndpointRouteBuilder MapAssetEndpoints(this IEndpointRouteBuilder app)
    {
        var assets = app.MapGroup("/api/assets").WithTags("Assets");

        assets.MapPost("/", RegisterAsync)
            .RequireRoles(Roles.Investigator)
            .WithName("RegisterAsset")
            .WithSummary("Register a non-cash asset of a case: real estate, vehicle, precious metal, virtual currency or other.")
            .WithDescription("With its owner, documents and, when a third party holds it, how they acquired it: the recoverability is " +
                             "determined from that (knew, paid nothing, paid below 70 % of market value, illegal debt: recoverable; " +
                             "good faith at a fair price: not).")
            .Produces<AssetView>(StatusCodes.Status201Created)
            .ProducesValidationProblem();

        assets.MapGet("/{assetId:guid}", GetAsync)
            .RequireRoles(Roles.Investigator, Roles.Court)
            .WithName("GetAsset")
            .WithSummary("An asset with its valuation history, disposal or return.")
            .Produces<AssetView>().ProducesProblem(StatusCodes.Status404NotFound);

        assets.MapPost("/{assetId:guid}/valuations", ValueAsync)
            .RequireRoles(Roles.Investigator)
            .WithName("RecordAssetValuation")
            .WithSummary("Record a valuation (amount, currency, date, method); earlier valuations are kept.")
            .Produces<AssetView>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        assets.MapPost("/{assetId:guid}/disposal", DisposeAsync)
            .RequireRoles(Roles.Investigator)
            .WithName("RecordAssetDisposal")
            .WithSummary("Record a sale or auction (price, fees, date); the net proceeds are credited to the case's recovery pool.")
            .Produces<AssetView>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        assets.MapPost("/{assetId:guid}/return-to-owner", ReturnAsync)
            .RequireRoles(Roles.Investigator)
            .WithName("ReturnAssetToOwner")
            .WithSummary("Give the asset back in kind to its owner.")
            .Produces<AssetView>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        assets.MapGet("/", ListByTypeAsync)
            .RequireRoles(Roles.Investigator, Roles.Court)
            .WithName("ListAssetsByType")
            .WithSummary("The inventory of one asset type across cases, oldest first, a page at a time.")
            .Produces<Page<AssetSummary>>().ProducesValidationProblem();

        app.MapGet("/api/cases/{caseNumber}/assets", ListByCaseAsync)
            .WithTags("Assets")
            .RequireRoles(Roles.Investigator, Roles.Court)
            .WithName("ListCaseAssets")
            .WithSummary("The inventory of a case, optionally of one asset type, oldest first, a page at a time.")
            .Produces<Page<AssetSummary>>().ProducesValidationProblem();
        return app;
    }

    private static async Task<IResult> RegisterAsync(RegisterAssetRequest request, HttpContext http, ISessionFactory sessions,
        IQuerySession query, SeizureLifecycle lifecycle, CancellationToken cancellationToken)
    {
        var actor = http.CurrentActor(Roles.Investigator);
        var registered = await sessions.WriteWithRetryAsync(session => Task.FromResult(lifecycle.RegisterAsset(session, request, actor)),
            cancellationToken);
        return Results.Created($"/api/assets/{registered.AssetId}", await SeizureViews.LoadAssetAsync(query, registered.AssetId, cancellationToken));
    }

    private static async Task<IResult> GetAsync(Guid assetId, IQuerySession session, CancellationToken cancellationToken) =>
        Results.Ok(await SeizureViews.LoadAssetAsync(session, assetId, cancellationToken));

    private static Task<IResult> ValueAsync(Guid assetId, RecordValuationRequest request, HttpContext http, ISessionFactory sessions,
        IQuerySession query, SeizureLifecycle lifecycle, CancellationToken cancellationToken) =>
        ChangeAsync(assetId, sessions, query,
            session => lifecycle.ValueAssetAsync(session, assetId, request, http.CurrentActor(Roles.Investigator), cancellationToken), cancellationToken);

    private static Task<IResult> DisposeAsync(Guid assetId, RecordDisposalRequest request, HttpContext http, ISessionFactory sessions,
        IQuerySession query, SeizureLifecycle lifecycle, CancellationToken cancellationToken) =>
        ChangeAsync(assetId, sessions, query,
            session => lifecycle.DisposeAssetAsync(session, assetId, request, http.CurrentActor(Roles.Investigator), cancellationToken), cancellationToken);

    private static Task<IResult> ReturnAsync(Guid assetId, ReturnAssetRequest request, HttpContext http, ISessionFactory sessions,
        IQuerySession query, SeizureLifecycle lifecycle, CancellationToken cancellationToken) =>
        ChangeAsync(assetId, sessions, query,
            session => lifecycle.ReturnAssetAsync(session, assetId, request, http.CurrentActor(Roles.Investigator), cancellationToken), cancellationToken);

    private static async Task<IResult> ChangeAsync(Guid assetId, ISessionFactory sessions, IQuerySession query,
        Func<IDocumentSession, Task> change, CancellationToken cancellationToken)
    {
        await sessions.WriteWithRetryAsync(change, cancellationToken);
        return Results.Ok(await SeizureViews.LoadAssetAsync(query, assetId, cancellationToken));
    }

    private static async Task<IResult> ListByCaseAsync(string caseNumber, AssetType? type, int? page, int? pageSize, IQuerySession session,
        CancellationToken cancellationToken)
    {
        SeizureEndpoints.ValidateCaseNumber(caseNumber);
        var paging = PageRequest.From(page, pageSize);
        var query = session.Query<SeizedAsset>().Where(a => a.CaseNumber == caseNumber);
        if (type is { } only) query = query.Where(a => a.Type == only);
        return Results.Ok(await SeizureViews.PageAssetsAsync(query.OrderBy(a => a.RegisteredAt), paging, cancellationToken));
    }

    private static async Task<IResult> ListByTypeAsync(AssetType? type, int? page, int? pageSize, IQuerySession session,
        CancellationToken cancellationToken)
    {
        if (type is null) new Validator().Add("type", $"is required ({string.Join(", ", Enum.GetNames<AssetType>())}).").ThrowIfInvalid();
        var paging = PageRequest.From(page, pageSize);
        return Results.Ok(await SeizureViews.PageAssetsAsync(
            session.Query<SeizedAsset>().Where(a => a.Type == type!.Value).OrderBy(a => a.RegisteredAt), paging, cancellationToken));
    }
}
