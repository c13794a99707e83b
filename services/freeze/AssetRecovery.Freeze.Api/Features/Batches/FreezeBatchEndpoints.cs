using AssetRecovery.BuildingBlocks;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Freeze.Domain;
using AssetRecovery.Freeze.Features.Csv;
using AssetRecovery.Messaging;
using AssetRecovery.ServiceDefaults;
using Marten;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace AssetRecovery.Freeze.Features.Batches;

/// <summary>Bulk intake: up to 10,000 freeze requests as JSON or a CSV upload, validated at once, processed in the background.</summary>
public static class FreezeBatchEndpoints
{
    public const int MaxRows = 10_000;

    public static IEndpointRouteBuilder MapFreezeBatchEndpoints(this IEndpointRouteBuilder app)
    {
        var batches = app.MapGroup("/api/freeze-batches").WithTags("Bulk freeze requests");

        batches.MapPost("/", SubmitAsync)
            .RequireRoles(Roles.BankLiaison, Roles.Investigator)
            .WithName("SubmitFreezeBatch")
            .WithSummary("Submit up to 10,000 freeze requests: JSON {\"requests\": [...]} or text/csv with a header row.")
            .WithDescription("Every row is validated at once; invalid rows are reported with reasons and the valid ones go ahead in the " +
                             $"background. CSV columns: {string.Join(", ", FreezeBatchCsv.Columns)}.")
            .Accepts<SubmitFreezeBatchRequest>("application/json", "text/csv")
            .Produces<FreezeBatchView>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem();

        batches.MapGet("/{batchId:guid}", GetAsync)
            .RequireRoles(Roles.BankLiaison, Roles.Investigator)
            .WithName("GetFreezeBatch")
            .WithSummary("A bulk request's progress.")
            .Produces<FreezeBatchView>().ProducesProblem(StatusCodes.Status404NotFound);

        batches.MapGet("/{batchId:guid}/rows", GetRowsAsync)
            .RequireRoles(Roles.BankLiaison, Roles.Investigator)
            .WithName("GetFreezeBatchRows")
            .WithSummary("The rows of a bulk request, optionally by status (Invalid, Pending, Accepted, Refused), in row order.")
            .Produces<Page<FreezeBatchRowView>>().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> SubmitAsync(HttpContext http, IDocumentStore store, ISessionFactory sessions, IQuerySession query,
        BankAccountRules banks, IOptions<JsonOptions> json, TimeProvider clock, CancellationToken cancellationToken)
    {
        var actor = http.CurrentActor(Roles.BankLiaison, Roles.Investigator);
        var rows = (await Uploads.ReadRowsAsync<SubmitFreezeBatchRequest, SubmitFreezeRequest>(http.Request, json.Value.SerializerOptions,
                "requests", MaxRows, body => body?.Requests, csv => FreezeBatchCsv.ReadAsync(csv, MaxRows)))
            .Select(r => (Row: r.Row?.ToInput(), r.Errors)).ToList();
        var idempotencyKey = IdempotencyKeys.Read(http.Request);
        var requestHash = IdempotencyKeys.Hash(rows.Select(r => r.Row).ToList());
        if (idempotencyKey is not null
            && await IdempotencyKeys.FindAsync(query, IdempotencyKeys.Scope("freeze-batches", actor.Subject), idempotencyKey, requestHash, cancellationToken) is { } earlier)
            return Results.Accepted($"/api/freeze-batches/{earlier}", await LoadViewAsync(query, earlier, cancellationToken));

        var batchId = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        var ownBank = BankScope.Of(http.User);
        var batchRows = rows.Select((row, index) => Validated(batchId, index + 1, row.Row, row.Errors, banks, ownBank)).ToList();
        var invalid = batchRows.Count(r => r.Status == BatchRowStatus.Invalid);
        // Rows first (bulk copy, fast); the batch and its event commit after them, so the processor never sees a partial batch.
        await store.BulkInsertAsync(batchRows, cancellation: cancellationToken);
        try
        {
            await using var session = sessions.OpenSession();
            if (idempotencyKey is not null)
                IdempotencyKeys.Remember(session, IdempotencyKeys.Scope("freeze-batches", actor.Subject), idempotencyKey, requestHash, batchId, now);
            session.Insert(new FreezeBatch
            {
                Id = batchId, SubmittedBy = actor, BankCode = ownBank, SubmittedAt = now, Total = batchRows.Count, Invalid = invalid,
            });
            session.Events.StartStream(batchId, new FreezeBatchSubmitted(batchId, batchRows.Count, invalid, actor, now));
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception failure)
        {
            // The batch did not commit: its rows must not stay behind.
            await using (var cleanup = sessions.OpenSession())
            {
                cleanup.DeleteWhere<FreezeBatchRow>(r => r.BatchId == batchId);
                await cleanup.SaveChangesAsync(CancellationToken.None);
            }
            // A concurrent submit with the same Idempotency-Key committed first: answer with its batch.
            if (idempotencyKey is not null && StoreConflicts.IsConflict(failure)
                && await IdempotencyKeys.FindAsync(query, IdempotencyKeys.Scope("freeze-batches", actor.Subject), idempotencyKey, requestHash,
                    cancellationToken) is { } winner)
                return Results.Accepted($"/api/freeze-batches/{winner}", await LoadViewAsync(query, winner, cancellationToken));
            throw;
        }
        return Results.Accepted($"/api/freeze-batches/{batchId}", await LoadViewAsync(query, batchId, cancellationToken));
    }

    private static async Task<IResult> GetAsync(Guid batchId, HttpContext http, IQuerySession session, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<FreezeBatch>(batchId, cancellationToken) is { } batch) BankScope.EnsureMaySee(http.User, batch);
        return Results.Ok(await LoadViewAsync(session, batchId, cancellationToken));
    }

    private static async Task<IResult> GetRowsAsync(Guid batchId, string? status, int? page, int? pageSize, HttpContext http,
        IQuerySession session, CancellationToken cancellationToken)
    {
        var paging = PageRequest.From(page, pageSize);
        var wanted = Validator.OptionalEnum<BatchRowStatus>("status", status);
        var batch = await session.LoadAsync<FreezeBatch>(batchId, cancellationToken)
                    ?? throw new ResourceNotFoundException("Freeze batch", batchId.ToString());
        BankScope.EnsureMaySee(http.User, batch);
        var rows = session.Query<FreezeBatchRow>().Where(r => r.BatchId == batchId);
        if (wanted is { } s) rows = rows.Where(r => r.Status == s);
        var total = await rows.CountAsync(cancellationToken);
        var items = await rows.OrderBy(r => r.RowNumber).Skip(paging.Skip).Take(paging.Size).ToListAsync(cancellationToken);
        return Results.Ok(new Page<FreezeBatchRowView>(
            items.Select(r => new FreezeBatchRowView(r.RowNumber, r.Status.ToString(), r.FreezeId, r.Errors, r.Rule)).ToList(),
            paging.Number, paging.Size, total));
    }

    public static async Task<FreezeBatchView> LoadViewAsync(IQuerySession session, Guid batchId, CancellationToken cancellationToken)
    {
        var batch = await session.LoadAsync<FreezeBatch>(batchId, cancellationToken)
                    ?? throw new ResourceNotFoundException("Freeze batch", batchId.ToString());
        var counts = await FreezeBatchRow.CountByStatusAsync(session, batchId, cancellationToken);
        var pending = counts.GetValueOrDefault(BatchRowStatus.Pending);
        var accepted = counts.GetValueOrDefault(BatchRowStatus.Accepted);
        var refused = counts.GetValueOrDefault(BatchRowStatus.Refused);
        var status = batch.CompletedAt is not null ? "Completed" : pending == batch.Total - batch.Invalid ? "Accepted" : "Processing";
        return new FreezeBatchView(batch.Id, status, batch.Total, batch.Invalid, pending, accepted, refused, batch.SubmittedBy,
            batch.SubmittedAt, batch.CompletedAt);
    }

    private static FreezeBatchRow Validated(Guid batchId, int rowNumber, FreezeRequestInput? input, Dictionary<string, string[]>? errors,
        BankAccountRules banks, string? ownBank)
    {
        var row = new FreezeBatchRow { Id = FreezeBatchRow.IdFor(batchId, rowNumber), BatchId = batchId, RowNumber = rowNumber, Input = input };
        if (errors is null && input is not null)
        {
            try
            {
                FreezeDecisions.Validate(input, banks);
                if (ownBank is null || AccountNumbers.NormalizeBankCode(input.BankCode!) == ownBank)
                {
                    row.Status = BatchRowStatus.Pending;
                    return row;
                }
                errors = new Dictionary<string, string[]>
                {
                    ["bankCode"] = [$"is another bank's: a liaison officer of bank {ownBank} submits requests for that bank only."],
                };
            }
            catch (RequestValidationException invalid)
            {
                errors = invalid.Errors.ToDictionary();
            }
        }
        row.Status = BatchRowStatus.Invalid;
        row.Errors = errors ?? new Dictionary<string, string[]> { ["row"] = ["is empty."] };
        return row;
    }
}
