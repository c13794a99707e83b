using System.Security.Claims;
using AssetRecovery.BuildingBlocks;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Clients.VictimClaim;
using AssetRecovery.Contracts;
using AssetRecovery.Messaging;
using AssetRecovery.ServiceDefaults;
using AssetRecovery.VictimClaim.Cases;
using AssetRecovery.VictimClaim.Domain;
using AssetRecovery.VictimClaim.MoneyTrail;
using AssetRecovery.VictimClaim.Notifications;
using Marten;
using Claim = AssetRecovery.VictimClaim.Domain.Claim;

namespace AssetRecovery.VictimClaim.Features;

/// <summary>
/// Claims over REST. Victims file and follow their own claims (another victim's claim answers 404, whatever the
/// endpoint); investigators verify the claims of their cases.
/// </summary>
public static class ClaimEndpoints
{
    public static IEndpointRouteBuilder MapClaimEndpoints(this IEndpointRouteBuilder app)
    {
        var claims = app.MapGroup("/api/claims").WithTags("Claims");

        claims.MapPost("/", FileAsync)
            .RequireRoles(Roles.Victim)
            .WithName("FileClaim")
            .WithSummary("File a claim: identity, contact, each lost payment, the return account and the case number if known.")
            .WithDescription("Answers with a receipt carrying the claim's reference. The ID number is stored encrypted and shown masked. " +
                             "Safe to retry with the same Idempotency-Key.")
            .Produces<ClaimReceipt>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        claims.MapGet("/", ListAsync)
            .RequireRoles(Roles.Victim, Roles.Investigator)
            .WithName("ListClaims")
            .WithSummary("A victim's own claims; for an investigator, the claims of a case (caseNumber) or those not yet linked (unlinked=true).")
            .Produces<Page<ClaimSummary>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        claims.MapGet("/{claimId:guid}", GetAsync)
            .RequireRoles(Roles.Victim, Roles.Investigator)
            .WithName("GetClaim")
            .WithSummary("One claim: status, timeline and money trail (verified, traced, frozen, ordered, paid, outstanding).")
            .Produces<ClaimView>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        claims.MapGet("/{claimId:guid}/notifications", GetNotificationsAsync)
            .RequireRoles(Roles.Victim, Roles.Investigator)
            .WithName("GetClaimNotifications")
            .WithSummary("What the victim was told about the claim, newest first.")
            .Produces<IReadOnlyList<VictimNotificationView>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        claims.MapPost("/{claimId:guid}/information", SupplyInformationAsync)
            .RequireRoles(Roles.Victim)
            .WithName("SupplyClaimInformation")
            .WithSummary("Victim: answer the investigator's question, adding payments left out if need be.")
            .Produces<ClaimView>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        claims.MapPost("/{claimId:guid}/reconsideration", RequestReconsiderationAsync)
            .RequireRoles(Roles.Victim)
            .WithName("RequestClaimReconsideration")
            .WithSummary("Victim: ask once for a denial to be reconsidered, with the grounds.")
            .Produces<ClaimView>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        claims.MapPost("/{claimId:guid}/return-account", ChangeReturnAccountAsync)
            .RequireRoles(Roles.Victim)
            .WithName("ChangeClaimReturnAccount")
            .WithSummary("Victim: give another account for the return; payments a bank could not make are sent again to it.")
            .Produces<ClaimView>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        claims.MapPost("/{claimId:guid}/case-link", LinkAsync)
            .RequireRoles(Roles.Investigator)
            .WithName("LinkClaimToCase")
            .WithSummary("Investigator: tie the claim to its case and to the victim's id in the case's bank records (for the trace).")
            .Produces<ClaimView>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        claims.MapPost("/{claimId:guid}/information-request", RequestInformationAsync)
            .RequireRoles(Roles.Investigator)
            .WithName("RequestClaimInformation")
            .WithSummary("Investigator: ask the victim for more information before deciding.")
            .Produces<ClaimView>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        claims.MapPost("/{claimId:guid}/approval", ApproveAsync)
            .RequireRoles(Roles.Investigator)
            .WithName("ApproveClaim")
            .WithSummary("Investigator: approve with the verified loss (never above the claimed loss); again to revise it.")
            .Produces<ClaimView>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        claims.MapPost("/{claimId:guid}/denial", DenyAsync)
            .RequireRoles(Roles.Investigator)
            .WithName("DenyClaim")
            .WithSummary("Investigator: deny with the reason the victim will read.")
            .Produces<ClaimView>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<IResult> FileAsync(FileClaimRequest request, HttpContext http, ISessionFactory sessions, IQuerySession query,
        IdNumberProtection idNumbers, TimeProvider clock, CancellationToken cancellationToken)
    {
        var actor = http.CurrentActor(Roles.Victim);
        var idempotencyKey = IdempotencyKeys.Read(http.Request);
        var requestHash = IdempotencyKeys.Hash(request);
        var scope = IdempotencyKeys.Scope("claims", actor.Subject);
        var claimId = await sessions.WriteWithRetryAsync(async session =>
        {
            if (idempotencyKey is not null && await IdempotencyKeys.FindAsync(session, scope, idempotencyKey, requestHash, cancellationToken) is { } earlier)
                return earlier;
            var now = clock.GetUtcNow();
            var filed = ClaimDecisions.File(Guid.CreateVersion7(now), actor.Subject, request, idNumbers.Protect, actor, now);
            session.Events.StartStream<Claim>(filed.ClaimId, filed);
            ClaimNotifications.ForClaimEvent(session, Claim.Create(filed), filed, now);
            if (idempotencyKey is not null) IdempotencyKeys.Remember(session, scope, idempotencyKey, requestHash, filed.ClaimId, now);
            return filed.ClaimId;
        }, cancellationToken);

        var claim = await query.LoadAsync<Claim>(claimId, cancellationToken) ?? throw new ResourceNotFoundException("Claim", claimId.ToString());
        return Results.Created($"/api/claims/{claimId}",
            new ClaimReceipt(claim.Id, claim.Reference, claim.Status.ToString(), claim.ClaimedLoss, claim.FiledAt));
    }

    private static async Task<IResult> ListAsync(string? caseNumber, bool? unlinked, int? page, int? pageSize, HttpContext http,
        IQuerySession session, CancellationToken cancellationToken)
    {
        var paging = PageRequest.From(page, pageSize);
        IQueryable<Claim> claims;
        if (http.User.IsInRole(Roles.Investigator))
        {
            var v = new Validator();
            if (caseNumber is not null) v.Required("caseNumber", caseNumber, 64);
            if (caseNumber is null == (unlinked != true)) v.Add("caseNumber", "give either caseNumber or unlinked=true.");
            v.ThrowIfInvalid();
            if (caseNumber is not null && !CaseScope.Includes(http.User, caseNumber))
                throw new AccessDeniedException($"Case {caseNumber} is not among the cases your token covers.");
            claims = caseNumber is not null
                ? session.Query<Claim>().Where(c => c.CaseNumber == caseNumber)
                : session.Query<Claim>().Where(c => !c.CaseConfirmed);
        }
        else
        {
            var subject = http.CurrentActor(Roles.Victim).Subject;
            claims = session.Query<Claim>().Where(c => c.VictimSubject == subject);
            if (caseNumber is not null) claims = claims.Where(c => c.CaseNumber == caseNumber);
        }
        claims = claims.OrderByDescending(c => c.FiledAt);
        var total = await claims.CountAsync(cancellationToken);
        var items = await claims.Skip(paging.Skip).Take(paging.Size).ToListAsync(cancellationToken);
        var visible = items.Where(c => ClaimAccess.MaySee(http.User, c)).Select(ClaimViews.ToSummary).ToList();
        return Results.Ok(new Page<ClaimSummary>(visible, paging.Number, paging.Size, total));
    }

    private static async Task<IResult> GetAsync(Guid claimId, HttpContext http, IQuerySession session, CancellationToken cancellationToken)
    {
        var claim = ClaimAccess.EnsureMaySee(http.User, claimId, await session.LoadAsync<Claim>(claimId, cancellationToken));
        return Results.Ok(await ClaimViews.LoadAsync(session, claim, http.User, cancellationToken));
    }

    private static async Task<IResult> GetNotificationsAsync(Guid claimId, HttpContext http, IQuerySession session, CancellationToken cancellationToken)
    {
        ClaimAccess.EnsureMaySee(http.User, claimId, await session.LoadAsync<Claim>(claimId, cancellationToken));
        var notifications = await session.Query<VictimNotification>().Where(n => n.ClaimId == claimId)
            .OrderByDescending(n => n.CreatedAt).Take(200).ToListAsync(cancellationToken);
        return Results.Ok(notifications.Select(n => new VictimNotificationView(n.Id, n.ClaimId, n.Kind, n.Message, n.CreatedAt, n.SentAt)).ToList());
    }

    private static Task<IResult> SupplyInformationAsync(Guid claimId, SupplyClaimInformationRequest request, HttpContext http,
        ISessionFactory sessions, IQuerySession query, TimeProvider clock, CancellationToken cancellationToken) =>
        ChangeAsync(claimId, http, sessions, query, clock, ClaimAccess.EnsureOwnedBy, (claim, actor, now) =>
            [ClaimDecisions.SupplyInformation(claim, request, actor, now)], Roles.Victim, cancellationToken);

    private static Task<IResult> RequestReconsiderationAsync(Guid claimId, RequestReconsiderationRequest request, HttpContext http,
        ISessionFactory sessions, IQuerySession query, TimeProvider clock, CancellationToken cancellationToken) =>
        ChangeAsync(claimId, http, sessions, query, clock, ClaimAccess.EnsureOwnedBy, (claim, actor, now) =>
            [ClaimDecisions.RequestReconsideration(claim, request.Grounds, actor, now)], Roles.Victim, cancellationToken);

    private static Task<IResult> ChangeReturnAccountAsync(Guid claimId, ReturnAccountInput request, HttpContext http,
        ISessionFactory sessions, IQuerySession query, TimeProvider clock, CancellationToken cancellationToken) =>
        ChangeAsync(claimId, http, sessions, query, clock, ClaimAccess.EnsureOwnedBy, (claim, actor, now) =>
            ClaimDecisions.ChangeReturnAccount(claim, request, actor, now) is { } changed ? [changed] : [], Roles.Victim, cancellationToken);

    private static Task<IResult> LinkAsync(Guid claimId, LinkClaimRequest request, HttpContext http,
        ISessionFactory sessions, IQuerySession query, TimeProvider clock, CancellationToken cancellationToken) =>
        ChangeAsync(claimId, http, sessions, query, clock, ClaimAccess.EnsureInvestigatorCovers, (claim, actor, now) =>
        {
            if (request.CaseNumber is not null && !CaseScope.Includes(http.User, request.CaseNumber.Trim()))
                throw new AccessDeniedException($"Case {request.CaseNumber} is not among the cases your token covers.");
            return ClaimDecisions.Link(claim, request.CaseNumber, request.TraceVictimId, actor, now) is { } link ? [link] : [];
        }, Roles.Investigator, cancellationToken);

    private static Task<IResult> RequestInformationAsync(Guid claimId, RequestClaimInformationRequest request, HttpContext http,
        ISessionFactory sessions, IQuerySession query, TimeProvider clock, CancellationToken cancellationToken) =>
        ChangeAsync(claimId, http, sessions, query, clock, ClaimAccess.EnsureInvestigatorCovers, (claim, actor, now) =>
            [ClaimDecisions.RequestInformation(claim, request.Question, actor, now)], Roles.Investigator, cancellationToken);

    private static Task<IResult> ApproveAsync(Guid claimId, ApproveClaimRequest request, HttpContext http,
        ISessionFactory sessions, IQuerySession query, TimeProvider clock, CancellationToken cancellationToken) =>
        ChangeAsync(claimId, http, sessions, query, clock, ClaimAccess.EnsureInvestigatorCovers, (claim, actor, now) =>
        {
            if (request.CaseNumber is not null && !CaseScope.Includes(http.User, request.CaseNumber.Trim()))
                throw new AccessDeniedException($"Case {request.CaseNumber} is not among the cases your token covers.");
            return ClaimDecisions.Approve(claim, new ApprovalInput(request.VerifiedAmount, request.Reason, request.CaseNumber, request.TraceVictimId),
                actor, now);
        }, Roles.Investigator, cancellationToken);

    private static Task<IResult> DenyAsync(Guid claimId, DenyClaimRequest request, HttpContext http,
        ISessionFactory sessions, IQuerySession query, TimeProvider clock, CancellationToken cancellationToken) =>
        ChangeAsync(claimId, http, sessions, query, clock, ClaimAccess.EnsureInvestigatorCovers, (claim, actor, now) =>
            [ClaimDecisions.Deny(claim, request.Reason, actor, now)], Roles.Investigator, cancellationToken);

    /// <summary>
    /// Loads the claim for writing, checks the caller may act on it (404 if not), appends what the rules decide, and stages
    /// the victim's notifications, all in one transaction (retried on a concurrent change).
    /// </summary>
    private static async Task<IResult> ChangeAsync(Guid claimId, HttpContext http, ISessionFactory sessions, IQuerySession query,
        TimeProvider clock, Func<ClaimsPrincipal, Guid, Claim?, Claim> authorize, Func<Claim, Actor, DateTimeOffset, IReadOnlyList<object>> decide,
        string role, CancellationToken cancellationToken)
    {
        var actor = http.CurrentActor(role);
        await sessions.WriteWithRetryAsync(async session =>
        {
            var stream = await session.Events.FetchForWriting<Claim>(claimId, cancellationToken);
            var claim = authorize(http.User, claimId, stream.Aggregate);
            var now = clock.GetUtcNow();
            var changes = decide(claim, actor, now);
            if (changes.Count == 0) return false;
            stream.AppendMany(changes);
            var after = changes.Aggregate(claim, (current, change) => current.Then(change));
            foreach (var change in changes) ClaimNotifications.ForClaimEvent(session, after, change, now);
            if (after.CaseNumber is { } caseNumber) await CaseVictimsTold.TakeTurnAsync(session, caseNumber, now, cancellationToken);
            var figures = await CaseClaims.FiguresAsync(session, after.CaseNumber, cancellationToken, forClaims: [after.Id]);
            await ClaimNotifications.ForMoneyTrailAsync(session, after, MoneyTrails.Compute(after, figures), now, cancellationToken);
            return true;
        }, cancellationToken);

        var updated = await query.LoadAsync<Claim>(claimId, cancellationToken) ?? throw new ResourceNotFoundException("Claim", claimId.ToString());
        return Results.Ok(await ClaimViews.LoadAsync(query, updated, http.User, cancellationToken));
    }
}

/// <summary>Object-level checks: who may see or act on which claim. Anything else is "not found", so nothing leaks.</summary>
public static class ClaimAccess
{
    public static bool MaySee(ClaimsPrincipal user, Claim claim) =>
        (user.IsInRole(Roles.Victim) && IsOwner(user, claim)) ||
        (user.IsInRole(Roles.Investigator) && CaseScope.Includes(user, claim.CaseNumber));

    public static Claim EnsureMaySee(ClaimsPrincipal user, Guid claimId, Claim? claim) =>
        claim is not null && MaySee(user, claim) ? claim : throw new ResourceNotFoundException("Claim", claimId.ToString());

    /// <summary>Only the victim who filed the claim changes it from the victim's side.</summary>
    public static Claim EnsureOwnedBy(ClaimsPrincipal user, Guid claimId, Claim? claim) =>
        claim is not null && IsOwner(user, claim) ? claim : throw new ResourceNotFoundException("Claim", claimId.ToString());

    public static Claim EnsureInvestigatorCovers(ClaimsPrincipal user, Guid claimId, Claim? claim) =>
        claim is not null && CaseScope.Includes(user, claim.CaseNumber) ? claim : throw new ResourceNotFoundException("Claim", claimId.ToString());

    private static bool IsOwner(ClaimsPrincipal user, Claim claim) =>
        user.FindFirstValue(JwtClaims.Subject) is { } subject && subject == claim.VictimSubject;
}
