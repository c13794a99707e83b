using AssetRecovery.Contracts;
using Refit;

namespace AssetRecovery.Clients.Seizure;

public sealed record FrozenFundsView(Guid FreezeId, string CaseNumber, Money Frozen, Money AvailableToSeize, DateTimeOffset FrozenAt);

/// <summary>The seizure service's HTTP API.</summary>
public interface ISeizureApi
{
    [Get("/api/cases/{caseNumber}/frozen-funds")]
    Task<IApiResponse<IReadOnlyList<FrozenFundsView>>> GetFrozenFundsAsync(string caseNumber, CancellationToken cancellationToken = default);
}
