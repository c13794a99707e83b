using System.Net.Sockets;
using AssetRecovery.BuildingBlocks;
using AssetRecovery.Messaging;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AssetRecovery.ServiceDefaults;

/// <summary>Turns every exception that reaches the pipeline into a ProblemDetails answer with the right status.</summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var problem = ToProblem(exception);
        // Paths can hold account numbers (/api/accounts/{bank}/{account}/holds): logged masked.
        var path = SensitiveData.Mask(http.Request.Path.Value);
        // The exception's text can quote values (a database error names the key it refused): logged masked too.
        if (problem.Status >= 500)
            logger.LogError("Request {Method} {Path} failed: {Exception}", http.Request.Method, path, SensitiveData.Mask(exception.ToString()));
        else
            logger.LogInformation("Request {Method} {Path} refused: {Status} {Title}", http.Request.Method, path, problem.Status, problem.Title);

        http.Response.StatusCode = problem.Status!.Value;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable) http.Response.Headers.RetryAfter = "5";
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    internal static ProblemDetails ToProblem(Exception exception) => exception switch
    {
        RequestValidationException invalid => new HttpValidationProblemDetails(invalid.Errors.ToDictionary())
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is not valid.",
        },
        // JSON that does not bind names the field, as validation errors do ("$.payments[0].amount" → "payments[0].amount").
        BadHttpRequestException { InnerException: System.Text.Json.JsonException { Path: { Length: > 1 } path } json } bad =>
            new HttpValidationProblemDetails(new Dictionary<string, string[]> { [path.TrimStart('$').TrimStart('.')] = [json.Message] })
            {
                Status = bad.StatusCode, Title = "The request could not be read.", Detail = json.Message,
            },
        BadHttpRequestException bad => new ProblemDetails
        {
            Status = bad.StatusCode,
            Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is too large." : "The request could not be read.",
            Detail = (bad.InnerException as System.Text.Json.JsonException)?.Message ?? bad.Message,
        },
        ResourceNotFoundException notFound => new ProblemDetails
        {
            Status = StatusCodes.Status404NotFound, Title = "Not found.", Detail = notFound.Message,
        },
        AccessDeniedException denied => new ProblemDetails
        {
            Status = StatusCodes.Status403Forbidden, Title = "Forbidden.", Detail = denied.Message,
        },
        DomainRuleViolationException rule => new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict, Title = "The request conflicts with the current state.", Detail = rule.Message,
            Extensions = { ["rule"] = rule.Rule },
        },
        UnprocessableRequestException unprocessable => new ProblemDetails
        {
            Status = StatusCodes.Status422UnprocessableEntity, Title = "The request cannot be processed as sent.", Detail = unprocessable.Message,
            Extensions = { ["rule"] = unprocessable.Rule },
        },
        _ when StoreConflicts.IsConflict(exception) => new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict, Title = "Changed concurrently.",
            Detail = "Someone changed this resource at the same time; read it again and retry.",
            Extensions = { ["rule"] = "concurrency" },
        },
        _ when IsStoreUnavailable(exception) => new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable, Title = "The service is temporarily unavailable.",
            Detail = "The database cannot be reached; retry shortly.",
        },
        OperationCanceledException => new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable, Title = "The request was cancelled or timed out.",
        },
        _ => new ProblemDetails { Status = StatusCodes.Status500InternalServerError, Title = "An unexpected error occurred." },
    };

    private static bool IsStoreUnavailable(Exception exception) => exception switch
    {
        NpgsqlException { IsTransient: true } => true,
        NpgsqlException { InnerException: SocketException or TimeoutException or IOException } => true,
        PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" } => true,
        SocketException => true,
        _ => exception.InnerException is not null && IsStoreUnavailable(exception.InnerException),
    };
}
