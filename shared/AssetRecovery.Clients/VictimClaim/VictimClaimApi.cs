using AssetRecovery.Contracts;
using Refit;

namespace AssetRecovery.Clients.VictimClaim;

public sealed record CaseInterceptionView(string CaseNumber, int AccountsFrozen, IReadOnlyList<Money> Frozen, DateTimeOffset UpdatedAt);

/// <summary>The victim-claim service's HTTP API.</summary>
public interface IVictimClaimApi
{
    [Get("/api/cases/{caseNumber}/interception")]
    Task<IApiResponse<CaseInterceptionView>> GetCaseInterceptionAsync(string caseNumber, CancellationToken cancellationToken = default);
}
