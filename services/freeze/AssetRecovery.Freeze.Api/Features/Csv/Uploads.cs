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
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
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
}
