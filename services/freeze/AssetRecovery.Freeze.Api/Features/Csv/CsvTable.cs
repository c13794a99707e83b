using System.Globalization;
using AssetRecovery.BuildingBlocks;
using CsvHelper;
using CsvHelper.Configuration;

namespace AssetRecovery.Freeze.Features.Csv;

/// <summary>
/// Reads an uploaded CSV file with a header row, one row per line. Column names match in any case and with or without
/// underscores (transaction_id = transactionId). A cell that cannot be read makes its row invalid; a file that is not
/// CSV, lacks required columns, is empty or too long is refused whole (400).
/// </summary>
public static class CsvTable
{
    public static async Task<List<(T? Row, Dictionary<string, string[]>? Errors)>> ReadAsync<T>(TextReader text, IReadOnlyList<string> requiredColumns,
        int maxRows, Func<CsvCells, T> map) where T : class
    {
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            PrepareHeaderForMatch = a => Key(a.Header),
            MissingFieldFound = null,
            HeaderValidated = null,
            BadDataFound = bad => throw new BadDataException(bad.Field, bad.RawRecord, bad.Context, "Malformed CSV field."),
        };
        using var csv = new CsvReader(text, configuration);
        var rows = new List<(T?, Dictionary<string, string[]>?)>();
        try
        {
            if (!await csv.ReadAsync() || !csv.ReadHeader())
                throw Invalid("body", "is empty: a header row and at least one row are expected.");
            var header = csv.HeaderRecord!.Select(Key).ToHashSet();
            var missing = requiredColumns.Where(c => !header.Contains(Key(c))).ToList();
            if (missing.Count > 0) throw Invalid("header", $"lacks the column(s) {string.Join(", ", missing)}.");

            while (await csv.ReadAsync())
            {
                if (rows.Count == maxRows) throw Invalid("body", $"has more than {maxRows} rows.");
                // One row per line: a quote left open swallows the following lines (or the rest of the file) into one field.
                if (csv.Parser.Record?.Any(field => field.Contains('\n') || field.Contains('\r')) == true)
                    throw Invalid("body", $"is not valid CSV at row {rows.Count + 1}: a quoted field runs past the end of its line.");
                var cells = new CsvCells(csv);
                var row = map(cells);
                rows.Add(cells.Errors.Count > 0 ? (null, cells.Errors) : (row, null));
            }
        }
        catch (CsvHelperException e) when (e is BadDataException or ParserException)
        {
            throw Invalid("body", $"is not valid CSV near line {e.Context?.Parser?.Row}: {e.Message.Split('\n')[0]}");
        }
        if (rows.Count == 0) throw Invalid("body", "has no rows.");
        return rows;
    }

    private static string Key(string column) => column.Trim().Replace("_", "").ToLowerInvariant();

    private static RequestValidationException Invalid(string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>The current row's cells by column name; parse failures are collected as that row's errors.</summary>
    public sealed class CsvCells(CsvReader csv)
    {
        public Dictionary<string, string[]> Errors { get; } = new(StringComparer.Ordinal);

        public string? Text(string column) =>
            csv.TryGetField<string>(Key(column), out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        public T? Parse<T>(string column, Func<string, (bool Ok, T Value)> parse, string expected) where T : struct
        {
            if (Text(column) is not { } cell) return null;
            var (ok, value) = parse(cell);
            if (!ok) Errors[column] = [$"'{cell}' is not {expected}."];
            return ok ? value : null;
        }

        public TEnum? Enum<TEnum>(string column, string expected) where TEnum : struct, System.Enum =>
            Parse(column, c => (System.Enum.TryParse<TEnum>(c, true, out var v) && System.Enum.IsDefined(v) && !c.All(char.IsDigit), v), expected);

        public decimal? Decimal(string column) =>
            Parse(column, c => (decimal.TryParse(c, NumberStyles.Number, CultureInfo.InvariantCulture, out var d), d), "a number");

        public bool? Boolean(string column) => Parse(column, c => (bool.TryParse(c, out var b), b), "true or false");

        public DateTimeOffset? Timestamp(string column) =>
            Parse(column, c => (DateTimeOffset.TryParse(c, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t), t),
                "an ISO 8601 date and time");
    }
}
