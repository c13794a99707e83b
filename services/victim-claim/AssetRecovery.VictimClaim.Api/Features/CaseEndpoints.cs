using AssetRecovery.BuildingBlocks;
using AssetRecovery.Clients.VictimClaim;
using AssetRecovery.ServiceDefaults;
using AssetRecovery.VictimClaim.Cases;
using AssetRecovery.VictimClaim.Features;
using AssetRecovery.VictimClaim.Portal;
using Marten;

namespace AssetRecovery.VictimClaim;

public static class VictimClaimEndpoints
{
    public static IEndpointRouteBuilder MapVictimClaimEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/cases/{caseNumber}/interception", GetInterceptionAsync)
            .WithTags("Cases")
            .RequireRoles(Roles.Investigator)
            .WithName("GetCaseInterception")
            .WithSummary("What has been frozen for the case so far, as victims' claims show it.")
            .Produces<CaseInterceptionView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapClaimEndpoints();
        app.MapPortal();
        return app;
    }

    private static async Task<IResult> GetInterceptionAsync(string caseNumber, IQuerySession session, CancellationToken cancellationToken)
    {
        var holds = await CaseInterception.HoldsAsync(session, caseNumber, cancellationToken);
        if (holds.Count == 0) throw new ResourceNotFoundException("Case interception", caseNumber);
        var interception = CaseInterception.Of(caseNumber, holds);
        return Results.Ok(new CaseInterceptionView(caseNumber, interception.AccountsFrozen, interception.Frozen.ToMoney(), interception.UpdatedAt!.Value));
    }
}
