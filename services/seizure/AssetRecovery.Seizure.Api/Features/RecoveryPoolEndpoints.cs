using AssetRecovery.BuildingBlocks;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Clients.Seizure;
using AssetRecovery.ServiceDefaults;
using Marten;

namespace AssetRecovery.Seizure.Features;

/// <summary>
/// Reading a case's recovery pool. There is deliberately no endpoint that debits it: money leaves the pool only on
/// restitution's DebitRecoveryPool command over the bus (see DebitRecoveryPoolConsumer).
/// </summary>
public static class RecoveryPoolEndpoints
{
    public static IEndpointRouteBuilder MapRecoveryPoolEndpoints(this IEndpointRouteBuilder app)
    {
        var pool = app.MapGroup("/api/cases/{caseNumber}/recovery-pool").WithTags("Recovery pool");

        pool.MapGet("/", GetAsync)
            .RequireRoles(Roles.Investigator, Roles.Court)
            .WithName("GetRecoveryPool")
            .WithSummary("The case's recovery pool: balance per currency, and credited and debited in total.")
            .Produces<RecoveryPoolView>().ProducesValidationProblem();

        pool.MapGet("/movements", MovementsAsync)
            .RequireRoles(Roles.Investigator, Roles.Court)
            .WithName("GetRecoveryPoolMovements")
            .WithSummary("Every credit, debit and refused debit of the pool, oldest first, each with the balance after it and why.")
            .Produces<Page<RecoveryPoolMovementView>>().ProducesValidationProblem();
        return app;
    }

    private static async Task<IResult> GetAsync(string caseNumber, IQuerySession session, CancellationToken cancellationToken)
    {
        SeizureEndpoints.ValidateCaseNumber(caseNumber);
        return Results.Ok(await SeizureViews.LoadPoolAsync(session, caseNumber, cancellationToken));
    }

    private static async Task<IResult> MovementsAsync(string caseNumber, int? page, int? pageSize, IQuerySession session,
        CancellationToken cancellationToken)
    {
        SeizureEndpoints.ValidateCaseNumber(caseNumber);
        return Results.Ok(await SeizureViews.PagePoolMovementsAsync(session, caseNumber, PageRequest.From(page, pageSize), cancellationToken));
    }
}
