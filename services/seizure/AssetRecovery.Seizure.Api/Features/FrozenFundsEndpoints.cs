using AssetRecovery.BuildingBlocks;
using AssetRecovery.Clients.Seizure;
using AssetRecovery.Messaging;
using AssetRecovery.Seizure.Custody;
using AssetRecovery.Seizure.Domain;
using AssetRecovery.Seizure.Features;
using AssetRecovery.ServiceDefaults;
using Marten;

namespace AssetRecovery.Seizure;

public static class SeizureEndpoints
{
    public static IEndpointRouteBuilder MapSeizureEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/cases/{caseNumber}/frozen-funds", GetFrozenFundsAsync)
            .WithTags("Custody")
            .RequireRoles(Roles.Investigator, Roles.Court)
            .WithName("GetFrozenFunds")
            .WithSummary("Money frozen at banks for the case and how much of it can still be seized.")
            .Produces<IReadOnlyList<FrozenFundsView>>();

        app.MapPost("/api/frozen-funds/{freezeId:guid}/seizures", SeizeAsync)
            .WithTags("Custody")
            .RequireRoles(Roles.Investigator)
            .WithName("SeizeFrozenFunds")
            .WithSummary("Seize all (no amount) or part of the money still available under a freeze, into custody.")
            .WithDescription("The amount is reserved at once: a seizure of more than is available (frozen, less what seizures under way " +
                             "reserved) is refused with 409, also when two race for the same money. The seizure saga then has the freeze " +
                             "service hand the money over; once it has, the seizure is Seized and the case's recovery pool is credited.")
            .Produces<SeizureAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        app.MapGet("/api/seizures/{seizureId:guid}", GetSeizureAsync)
            .WithTags("Custody")
            .RequireRoles(Roles.Investigator, Roles.Court)
            .WithName("GetSeizure")
            .WithSummary("A seizure of frozen money: amount, status, who asked and why, and where its saga is.")
            .Produces<SeizureView>().ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/api/cases/{caseNumber}/seizures", ListSeizuresAsync)
            .WithTags("Custody")
            .RequireRoles(Roles.Investigator, Roles.Court)
            .WithName("ListSeizures")
            .WithSummary("The seizures of frozen money of a case, oldest first.")
            .Produces<IReadOnlyList<SeizureView>>();

        app.MapAssetEndpoints();
        app.MapRecoveryPoolEndpoints();
        return app;
    }

    private static async Task<IResult> GetFrozenFundsAsync(string caseNumber, IQuerySession session, CancellationToken cancellationToken)
    {
        ValidateCaseNumber(caseNumber);
        var funds = await session.Query<FrozenFunds>()
            .Where(f => f.CaseNumber == caseNumber)
            .OrderBy(f => f.FrozenAt)
            .ToListAsync(cancellationToken);
        return Results.Ok(funds.Select(SeizureViews.ToView).ToList());
    }

    private static async Task<IResult> SeizeAsync(Guid freezeId, SeizeFrozenFundsRequest request, HttpContext http, ISessionFactory sessions,
        IQuerySession query, SeizureLifecycle lifecycle, TimeProvider clock, CancellationToken cancellationToken)
    {
        var actor = http.CurrentActor(Roles.Investigator);
        // A retry with the same Idempotency-Key answers with the first seizure instead of seizing other money.
        var idempotencyKey = IdempotencyKeys.Read(http.Request);
        var requestHash = IdempotencyKeys.Hash(new { freezeId, request });
        var scope = IdempotencyKeys.Scope("seizures", actor.Subject);
        var seizureId = await sessions.WriteWithRetryAsync(async session =>
        {
            if (idempotencyKey is not null && await IdempotencyKeys.FindAsync(session, scope, idempotencyKey, requestHash, cancellationToken) is { } earlier)
                return earlier;
            var requested = await lifecycle.RequestSeizureAsync(session, freezeId,
                new SeizureInput(request.Amount, request.LegalDocumentReference, request.Reason), actor, cancellationToken);
            if (idempotencyKey is not null)
                IdempotencyKeys.Remember(session, scope, idempotencyKey, requestHash, requested.SeizureId, clock.GetUtcNow());
            return requested.SeizureId;
        }, cancellationToken);
        var seizure = await SeizureViews.LoadSeizureAsync(query, seizureId, cancellationToken);
        return Results.Accepted($"/api/seizures/{seizureId}", new SeizureAccepted(seizureId, seizure.Status, seizure.Amount));
    }

    private static async Task<IResult> GetSeizureAsync(Guid seizureId, IQuerySession session, CancellationToken cancellationToken) =>
        Results.Ok(await SeizureViews.LoadSeizureAsync(session, seizureId, cancellationToken));

    private static async Task<IResult> ListSeizuresAsync(string caseNumber, IQuerySession session, CancellationToken cancellationToken)
    {
        ValidateCaseNumber(caseNumber);
        return Results.Ok(await SeizureViews.ListSeizuresAsync(session, caseNumber, cancellationToken));
    }

    /// <summary>Case numbers in paths are checked like those in bodies.</summary>
    internal static void ValidateCaseNumber(string caseNumber) => new Validator().Required("caseNumber", caseNumber, 64).ThrowIfInvalid();
}
