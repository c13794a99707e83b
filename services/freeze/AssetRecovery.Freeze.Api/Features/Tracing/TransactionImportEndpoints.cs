using AssetRecovery.BuildingBlocks;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Freeze.Features.Csv;
using AssetRecovery.ServiceDefaults;
using Marten;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace AssetRecovery.Freeze.Features.Tracing;

/// <summary>
/// Import of bank transaction records for a case, as JSON or as CSV in a plain bank-statement layout
/// (transaction_id, timestamp, from_account, to_account, amount, currency, channel, victim_id). Idempotent by
/// transaction id: a record already imported with the same details is counted as a duplicate; one with other details,
/// like any bad row, is reported and skipped without failing the rest.
/// </summary>
public static class TransactionImportEndpoints
{
    public const int MaxRows = 100_000;
    private static readonly string[] RequiredColumns = ["transaction_id", "timestamp", "amount", "currency", "channel"];

    public static IEndpointRouteBuilder MapTransactionImportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/cases/{caseNumber}/transactions", ImportAsync)
            .WithTags("Tracing")
            .RequireRoles(Roles.Investigator)
            .WithName("ImportTransactions")
            .WithSummary("Import bank transaction records of a case (JSON or text/csv); bad rows are reported, not fatal.")
            .Accepts<ImportTransactionsRequest>("application/json", "text/csv")
            .Produces<TransactionImportResult>()
            .ProducesValidationProblem();
        return app;
    }

    private static async Task<IResult> ImportAsync(string caseNumber, HttpContext http, ISessionFactory sessions, IOptions<JsonOptions> json,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        new Validator().Required("caseNumber", caseNumber, 64).ThrowIfInvalid();
        var actor = http.CurrentActor(Roles.Investigator);
        var rows = await Uploads.ReadRowsAsync<ImportTransactionsRequest, TransactionRecord>(http.Request, json.Value.SerializerOptions,
            "transactions", MaxRows, body => body?.Transactions, csv => CsvTable.ReadAsync(csv, RequiredColumns, MaxRows, cells =>
                new TransactionRecord(cells.Text("transaction_id"), cells.Timestamp("timestamp"), cells.Text("from_account"),
                    cells.Text("to_account"), cells.Decimal("amount"), cells.Text("currency"),
                    cells.Enum<TransactionChannel>("channel", string.Join(", ", Enum.GetNames<TransactionChannel>())), cells.Text("victim_id"))));

        var importId = Guid.CreateVersion7();
        var rejected = new List<ImportRowError>();
        var valid = new Dictionary<string, (CaseTransaction Transaction, int RowNumber)>(StringComparer.Ordinal);
        var duplicates = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var (record, errors) = rows[i];
            var transaction = record is null ? null : TransactionRecords.Validate(caseNumber, record, importId, out errors);
            if (transaction is null) rejected.Add(new ImportRowError(i + 1, record?.TransactionId, errors!));
            else if (!valid.TryAdd(transaction.Id, (transaction, i + 1)))
            {
                if (valid[transaction.Id].Transaction.SameDetailsAs(transaction)) duplicates++;
                else rejected.Add(Conflicting(i + 1, transaction, "earlier in this file"));
            }
        }

        await using var session = sessions.OpenSession();
        var known = new Dictionary<string, CaseTransaction>(StringComparer.Ordinal);
        foreach (var ids in valid.Keys.Chunk(1_000))
            foreach (var existing in await session.LoadManyAsync<CaseTransaction>(cancellationToken, ids))
                known[existing.Id] = existing;
        var fresh = new List<CaseTransaction>();
        foreach (var (transaction, rowNumber) in valid.Values)
        {
            if (!known.TryGetValue(transaction.Id, out var existing)) fresh.Add(transaction);
            else if (existing.SameDetailsAs(transaction)) duplicates++;
            else rejected.Add(Conflicting(rowNumber, transaction, "by an earlier import"));
        }

        if (fresh.Count > 0) session.Insert(fresh.ToArray());
        session.Events.StartStream(importId, new TransactionsImported(importId, caseNumber, fresh.Count, duplicates, rejected.Count,
            http.Request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true ? "csv" : "json", actor, clock.GetUtcNow()));
        await session.SaveChangesAsync(cancellationToken);
        return Results.Ok(new TransactionImportResult(importId, caseNumber, fresh.Count, duplicates, rejected.OrderBy(r => r.RowNumber).ToList()));
    }

    private static ImportRowError Conflicting(int rowNumber, CaseTransaction transaction, string where) =>
        new(rowNumber, transaction.TransactionId, new Dictionary<string, string[]>
        {
            ["transactionId"] = [$"'{transaction.TransactionId}' was already imported {where} with other details."],
        });
}
