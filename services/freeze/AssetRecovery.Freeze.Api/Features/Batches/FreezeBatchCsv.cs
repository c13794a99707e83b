using System.Globalization;
using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Freeze.Domain;
using CsvHelper;
using CsvHelper.Configuration;

namespace AssetRecovery.Freeze.Features.Batches;

/// <summary>
/// Reads a bulk request as CSV with a header row. Columns (any order, any case): caseNumber, kind, bankCode,
/// accountNumber, accountHolderName, currency, amount, wholeBalance, legalDocumentReference, reason, assetType.
/// One row per line. A cell that cannot be read makes its row invalid; a file that is not CSV at all is refused whole.
/// </summary>
public static class FreezeBatchCsv
{
    public static readonly string[] Columns =
        ["caseNumber", "kind", "bankCode", "accountNumber", "accountHolderName", "currency", "amount", "wholeBalance", "legalDocumentReference", "reason", "assetType"];

    private static readonly string[] RequiredColumns =
        ["caseNumber", "kind", "bankCode", "accountNumber", "accountHolderName", "currency", "legalDocumentReference", "reason"];

    /// <summary>Each row as input, or as the errors that kept it from being read.</summary>
    public static async Task<List<(FreezeRequestInput? Input, Dictionary<string, string[]>? Errors)>> ReadAsync(TextReader text, int maxRows)
    {
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            PrepareHeaderForMatch = a => a.Header.Trim().ToLowerInvariant(),
            MissingFieldFound = null,
            HeaderValidated = null,
            BadDataFound = bad => throw new BadDataException(bad.Field, bad.RawRecord, bad.Context, "Malformed CSV field."),
        };
        using var csv = new CsvReader(text, configuration);
        var rows = new List<(FreezeRequestInput?, Dictionary<string, string[]>?)>();
        try
        {
            if (!await csv.ReadAsync() || !csv.ReadHeader())
                throw Invalid("body", "is empty: a header row and at least one row are expected.");
            var header = csv.HeaderRecord!.Select(h => h.Trim().ToLowerInvariant()).ToHashSet();
            var missing = RequiredColumns.Where(c => !header.Contains(c.ToLowerInvariant())).ToList();
            if (missing.Count > 0) throw Invalid("header", $"lacks the column(s) {string.Join(", ", missing)}.");

            while (await csv.ReadAsync())
            {
                if (rows.Count == maxRows) throw Invalid("body", $"has more than {maxRows} rows.");
                // One row per line: a quote left open swallows the following lines (or the rest of the file) into one field.
                if (csv.Parser.Record?.Any(field => field.Contains('\n') || field.Contains('\r')) == true)
                    throw Invalid("body", $"is not valid CSV at row {rows.Count + 1}: a quoted field runs past the end of its line.");
                rows.Add(ReadRow(csv));
            }
        }
        catch (CsvHelperException e) when (e is BadDataException or ParserException)
        {
            throw Invalid("body", $"is not valid CSV near line {e.Context?.Parser?.Row}: {e.Message.Split('\n')[0]}");
        }
        if (rows.Count == 0) throw Invalid("body", "has no rows.");
        return rows;
    }

    private static (FreezeRequestInput?, Dictionary<string, string[]>?) ReadRow(CsvReader csv)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string? Cell(string name) => csv.TryGetField<string>(name.ToLowerInvariant(), out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
        T? Parse<T>(string name, Func<string, (bool, T)> parse, string expected) where T : struct
        {
            if (Cell(name) is not { } cell) return null;
            var (ok, value) = parse(cell);
            if (!ok) errors[name] = [$"'{cell}' is not {expected}."];
            return ok ? value : null;
        }

        var kind = Parse<FreezeKind>("kind", c => (Enum.TryParse<FreezeKind>(c, true, out var k) && Enum.IsDefined(k), k), "StopPayment or Freeze");
        var assetType = Parse<FreezeAssetType>("assetType", c => (Enum.TryParse<FreezeAssetType>(c, true, out var a) && Enum.IsDefined(a), a), "an asset type");
        var amount = Parse<decimal>("amount", c => (decimal.TryParse(c, NumberStyles.Number, CultureInfo.InvariantCulture, out var d), d), "a number");
        var wholeBalance = Parse<bool>("wholeBalance", c => (bool.TryParse(c, out var b), b), "true or false");
        if (errors.Count > 0) return (null, errors);
        return (new FreezeRequestInput(Cell("caseNumber"), kind, Cell("bankCode"), Cell("accountNumber"), Cell("accountHolderName"),
            Cell("currency"), amount, wholeBalance ?? false, Cell("legalDocumentReference"), Cell("reason"), assetType), null);
    }

    private static RequestValidationException Invalid(string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] });
}
