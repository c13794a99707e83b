using AssetRecovery.Contracts.Freeze;
using Refit;

namespace AssetRecovery.Clients.Freeze;

/// <summary>One bank transaction record. VictimId marks a victim's payment into a mule account.</summary>
public sealed record TransactionRecord(
    string? TransactionId,
    DateTimeOffset? Timestamp,
    string? FromAccount,
    string? ToAccount,
    decimal? Amount,
    string? Currency,
    TransactionChannel? Channel,
    string? VictimId = null);

public sealed record ImportTransactionsRequest(IReadOnlyList<TransactionRecord>? Transactions);

public sealed record ImportRowError(int RowNumber, string? TransactionId, IReadOnlyDictionary<string, string[]> Errors);

/// <summary>What an import did: new records, records already there (same details), and rows refused with reasons.</summary>
public sealed record TransactionImportResult(Guid ImportId, string CaseNumber, int Imported, int Duplicates, IReadOnlyList<ImportRowError> Rejected);

public interface ITracingApi
{
    [Post("/api/cases/{caseNumber}/transactions")]
    Task<IApiResponse<TransactionImportResult>> ImportAsync(string caseNumber, [Body] ImportTransactionsRequest request, CancellationToken cancellationToken = default);

    [Post("/api/cases/{caseNumber}/transactions")]
    [Headers("Content-Type: text/csv")]
    Task<IApiResponse<TransactionImportResult>> ImportCsvAsync(string caseNumber, [Body] string csv, CancellationToken cancellationToken = default);
}
