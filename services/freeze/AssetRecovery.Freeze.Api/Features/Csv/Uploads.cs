using System.Text;
using System.Text.Json;
using AssetRecovery.BuildingBlocks;

namespace AssetRecovery.Freeze.Features.Csv;

/// <summary>An upload of rows as JSON (an object with a list) or as CSV, read into rows or per-row errors.</summary>
public static class Uploads
{
    public static async Task<List<(T? Row, Dictionary<string, string[]>? Errors)>> ReadRowsAsync<TBody, T>(
        HttpRequest request, JsonSerializerOptions jsonOptions, string listField, int maxRows,
        Func<TBody?, IReadOnlyList<T?>?> rowsOf, Func<TextReader, Task<List<(T? Row, Dictionary<string, string[]>? Errors)>>> readCsv)
        where T : class
    {
        var mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType == "text/csv")
        {
            using var reader = new NulRefusingReader(new StreamReader(request.Body, Encoding.UTF8));
            return await readCsv(reader);
        }
        if (mediaType != "application/json")
            throw new BadHttpRequestException("Send application/json or text/csv.", StatusCodes.Status415UnsupportedMediaType);

        TBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<TBody>(request.Body, jsonOptions, request.HttpContext.RequestAborted);
        }
        catch (JsonException e)
        {
            throw new BadHttpRequestException("The JSON body could not be read.", StatusCodes.Status400BadRequest, e);
        }
        var v = new Validator();
        if (rowsOf(body) is not { Count: > 0 } rows) v.Add(listField, "must hold at least one row.");
        else if (rows.Count > maxRows) v.Add(listField, $"must hold at most {maxRows} rows.");
        v.ThrowIfInvalid();
        return rowsOf(body)!.Select(row => row is null
                ? (null, new Dictionary<string, string[]> { ["row"] = ["is empty."] })
                : (row, (Dictionary<string, string[]>?)null))
            .ToList();
    }

    /// <summary>
    /// PostgreSQL cannot store a NUL character in text or jsonb: an invalid row keeps its input for the report, so a NUL
    /// in a cell made the whole upload fail with a 500 (found by the security fuzz). Such a file is refused, 400.
    /// </summary>
    private sealed class NulRefusingReader(TextReader inner) : TextReader
    {
        public override int Peek() => inner.Peek();
        public override int Read() => Check(inner.Read());

        public override int Read(char[] buffer, int index, int count) => Check(buffer.AsSpan(index, inner.Read(buffer, index, count)));
        public override int Read(Span<char> buffer) => Check(buffer[..inner.Read(buffer)]);

        public override async Task<int> ReadAsync(char[] buffer, int index, int count)
        {
            var read = await inner.ReadAsync(buffer, index, count);
            return Check(buffer.AsSpan(index, read));
        }

        public override async ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            return Check(buffer.Span[..read]);
        }

        private static int Check(int c) => c == 0 ? throw Refused() : c;

        private static int Check(ReadOnlySpan<char> read) => read.Contains('\0') ? throw Refused() : read.Length;

        private static BadHttpRequestException Refused() =>
            new("The CSV file holds a NUL character: not a text file.", StatusCodes.Status400BadRequest);

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
