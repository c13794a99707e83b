using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Freeze.Features.Csv;

namespace AssetRecovery.Freeze.Features.Batches;

/// <summary>A bulk freeze request as CSV (see <see cref="CsvTable"/> for the format rules).</summary>
public static class FreezeBatchCsv
{
    public static readonly string[] Columns =
        ["caseNumber", "kind", "bankCode", "accountNumber", "accountHolderName", "currency", "amount", "wholeBalance", "legalDocumentReference", "reason", "assetType"];

    private static readonly string[] RequiredColumns =
        ["caseNumber", "kind", "bankCode", "accountNumber", "accountHolderName", "currency", "legalDocumentReference", "reason"];

    public static Task<List<(SubmitFreezeRequest? Row, Dictionary<string, string[]>? Errors)>> ReadAsync(TextReader text, int maxRows) =>
        CsvTable.ReadAsync(text, RequiredColumns, maxRows, cells => new SubmitFreezeRequest(
            cells.Text("caseNumber"), cells.Enum<FreezeKind>("kind", "StopPayment or Freeze"), cells.Text("bankCode"),
            cells.Text("accountNumber"), cells.Text("accountHolderName"), cells.Text("currency"), cells.Decimal("amount"),
            cells.Boolean("wholeBalance") ?? false, cells.Text("legalDocumentReference"), cells.Text("reason"),
            cells.Enum<FreezeAssetType>("assetType", "an asset type")));
}
