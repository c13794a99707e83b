using AssetRecovery.Contracts;
using Refit;

namespace AssetRecovery.Clients.Restitution;

public sealed record CaseLedgerView(
    string CaseNumber,
    int FreezesRequested,
    int FreezesRejected,
    int AcknowledgementsOverdue,
    IReadOnlyList<Money> Frozen,
    long LastSequence,
    DateTimeOffset UpdatedAt);

/// <summary>The restitution service's HTTP API.</summary>
public interface IRestitutionApi
{
    [Get("/api/cases/{caseNumber}/ledger")]
    Task<IApiResponse<CaseLedgerView>> GetCaseLedgerAsync(string caseNumber, CancellationToken cancellationToken = default);
}
