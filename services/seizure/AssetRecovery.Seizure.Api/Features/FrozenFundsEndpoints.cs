using AssetRecovery.Clients.Seizure;
using AssetRecovery.Seizure.Custody;
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
        return app;
    }

    private static async Task<IResult> GetFrozenFundsAsync(string caseNumber, IQuerySession session, CancellationToken cancellationToken)
    {
        var funds = await session.Query<FrozenFunds>()
            .Where(f => f.CaseNumber == caseNumber)
            .OrderBy(f => f.FrozenAt)
            .ToListAsync(cancellationToken);
        return Results.Ok(funds.Select(f => new FrozenFundsView(f.Id, f.CaseNumber, f.Frozen, f.AvailableToSeize, f.FrozenAt)).ToList());
    }
}
