using AssetRecovery.BuildingBlocks;
using AssetRecovery.Clients.Restitution;
using AssetRecovery.Restitution.Features;
using AssetRecovery.Restitution.Ledger;
using AssetRecovery.Restitution.PreTrialReturns;
using AssetRecovery.ServiceDefaults;
using Marten;

namespace AssetRecovery.Restitution;

public static class RestitutionEndpoints
{
    public static IEndpointRouteBuilder MapRestitutionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/cases/{caseNumber}/ledger", GetLedgerAsync)
            .WithTags("Case ledger")
            .RequireRoles(Roles.Court, Roles.Investigator)
            .WithName("GetCaseLedger")
            .WithSummary("The case's money from interception onwards (as far as the ledger has caught up).")
            .Produces<CaseLedgerView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapRestitutionWorkEndpoints();
        app.MapPreTrialReturnEndpoints();
        return app;
    }

    private static async Task<IResult> GetLedgerAsync(string caseNumber, IQuerySession session, CancellationToken cancellationToken)
    {
        var ledger = await session.LoadAsync<CaseLedger>(caseNumber, cancellationToken)
                     ?? throw new ResourceNotFoundException("Case ledger", caseNumber);
        return Results.Ok(new CaseLedgerView(
            ledger.Id, ledger.FreezesRequested, ledger.FreezesRejected, ledger.AcknowledgementsOverdue,
            ledger.Frozen.ToMoney(),
            ledger.LastSequence, ledger.UpdatedAt));
    }
}
