using AssetRecovery.BuildingBlocks;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Freeze.Domain;
using AssetRecovery.Freeze.Features;
using AssetRecovery.Freeze.Features.Batches;
using AssetRecovery.Freeze.Features.Tracing;
using AssetRecovery.Messaging;
using AssetRecovery.ServiceDefaults;
using Marten;

namespace AssetRecovery.Freeze;

public static class FreezeEndpoints
{
    public static IEndpointRouteBuilder MapFreezeEndpoints(this IEndpointRouteBuilder app)
    {
        var freezes = app.MapGroup("/api/freezes").WithTags("Freezes");

        freezes.MapPost("/", SubmitAsync)
            .RequireRoles(Roles.BankLiaison, Roles.Investigator)
            .WithName("SubmitFreeze")
            .WithSummary("Request a stop-payment or a formal freeze of an account holding fraud proceeds.")
            .WithDescription("Safe to retry: the same Idempotency-Key, or the same case, account and legal document, answers with the " +
                             "freeze already requested. A request on an account held for another case is queued behind it.")
            .Produces<FreezeAccepted>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        freezes.MapPost("/{freezeId:guid}/bank-execution", RecordBankExecutionAsync)
            .RequireRoles(Roles.BankLiaison)
            .WithName("RecordBankExecution")
            .WithSummary("Record what the bank actually did: frozen in full, frozen in part, or rejected.")
            .Produces<FreezeView>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        freezes.MapPost("/{freezeId:guid}/renewal", RenewAsync)
            .RequireRoles(Roles.Investigator)
            .WithName("RenewFreeze")
            .WithSummary("Renew a freeze before it expires, for at most its original term.")
            .Produces<FreezeView>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        freezes.MapPost("/{freezeId:guid}/release", ReleaseAsync)
            .RequireRoles(Roles.Investigator)
            .WithName("ReleaseFreeze")
            .WithSummary("Release frozen money in whole or in part, with the reason and the document that orders it.")
            .Produces<FreezeView>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        freezes.MapPost("/{freezeId:guid}/handover-to-seizure", HandOverToSeizureAsync)
            .RequireRoles(Roles.Investigator)
            .WithName("HandOverFreezeToSeizure")
            .WithSummary("Hand frozen money over to seizure's custody, in whole or in part, with the reason and the document.")
            .Produces<FreezeView>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        freezes.MapGet("/{freezeId:guid}", GetAsync)
            .RequireRoles(Roles.BankLiaison, Roles.Investigator)
            .WithName("GetFreeze")
            .WithSummary("A freeze with its workflow state and its whole history (who, when, what, why).")
            .Produces<FreezeView>().ProducesProblem(StatusCodes.Status404NotFound);

        freezes.MapGet("/", ListByCaseAsync)
            .RequireRoles(Roles.BankLiaison, Roles.Investigator)
            .WithName("ListFreezesByCase")
            .WithSummary("The freezes of a case, oldest first, a page at a time.")
            .Produces<Page<FreezeSummary>>().ProducesValidationProblem();

        freezes.MapGet("/expiring", ListExpiringAsync)
            .RequireRoles(Roles.BankLiaison, Roles.Investigator)
            .WithName("ListExpiringFreezes")
            .WithSummary("Holds that expire within the given number of days, soonest first.")
            .Produces<Page<FreezeSummary>>().ProducesValidationProblem();

        freezes.MapGet("/overdue-acknowledgements", ListOverdueAsync)
            .RequireRoles(Roles.BankLiaison, Roles.Investigator)
            .WithName("ListOverdueAcknowledgements")
            .WithSummary("Requests the bank has not acknowledged by their deadline, oldest deadline first.")
            .Produces<Page<FreezeSummary>>().ProducesValidationProblem();

        app.MapGet("/api/accounts/{bankCode}/{accountNumber}/holds", GetAccountHoldsAsync)
            .WithTags("Freezes")
            .RequireRoles(Roles.BankLiaison, Roles.Investigator)
            .WithName("GetAccountHolds")
            .WithSummary("Every hold on an account across cases, in queue order.")
            .Produces<AccountHoldsView>().ProducesProblem(StatusCodes.Status404NotFound);
        app.MapFreezeBatchEndpoints();
        app.MapTransactionImportEndpoints();
        app.MapTraceEndpoints();
        return app;
    }

    private static async Task<IResult> SubmitAsync(SubmitFreezeRequest request, HttpContext http, ISessionFactory sessions,
        IQuerySession query, FreezeLifecycle lifecycle, TimeProvider clock, CancellationToken cancellationToken)
    {
        var actor = http.CurrentActor(Roles.BankLiaison, Roles.Investigator);
        BankScope.EnsureMaySubmit(http.User, request.BankCode);
        var idempotencyKey = IdempotencyKeys.Read(http.Request);
        var requestHash = IdempotencyKeys.Hash(request);
        var scope = IdempotencyKeys.Scope("freezes", actor.Subject);
        var (freezeId, requested) = await sessions.WriteWithRetryAsync(async session =>
        {
            if (idempotencyKey is not null && await IdempotencyKeys.FindAsync(session, scope, idempotencyKey, requestHash, cancellationToken) is { } earlier)
                return (earlier, (FreezeRequested?)null);
            var decision = await lifecycle.RequestAsync(session, request.ToInput(), actor, cancellationToken);
            if (idempotencyKey is not null) IdempotencyKeys.Remember(session, scope, idempotencyKey, requestHash, decision.FreezeId, clock.GetUtcNow());
            return (decision.FreezeId, decision.Requested);
        }, cancellationToken);

        // A new freeze is what its request event makes it (no second round trip); a repeat is read as it is now.
        var freeze = requested is { } e
            ? Domain.Freeze.Create(e)
            : await query.LoadAsync<Domain.Freeze>(freezeId, cancellationToken) ?? throw new ResourceNotFoundException("Freeze", freezeId.ToString());
        return Results.Created($"/api/freezes/{freezeId}", new FreezeAccepted(freezeId, freeze.Status.ToString(), freeze.AcknowledgementDueAt));
    }

    private static async Task<IResult> RecordBankExecutionAsync(Guid freezeId, RecordBankExecutionRequest request, HttpContext http,
        ISessionFactory sessions, IQuerySession query, FreezeLifecycle lifecycle, CancellationToken cancellationToken)
    {
        if (await query.LoadAsync<Domain.Freeze>(freezeId, cancellationToken) is { } freeze) BankScope.EnsureMaySee(http.User, freeze);
        return await ChangeAsync(freezeId, sessions, query, session => lifecycle.RecordBankExecutionAsync(session, freezeId,
            new BankExecutionInput(request.Outcome, request.FrozenAmount, request.BalanceAtExecution, request.ReasonCode, request.Detail,
                request.ExecutedAt, request.BankReference), http.CurrentActor(Roles.BankLiaison), cancellationToken), cancellationToken);
    }

    private static Task<IResult> RenewAsync(Guid freezeId, RenewFreezeRequest request, HttpContext http,
        ISessionFactory sessions, IQuerySession query, FreezeLifecycle lifecycle, CancellationToken cancellationToken) =>
        ChangeAsync(freezeId, sessions, query, session => lifecycle.RenewAsync(session, freezeId,
            new RenewalInput(request.TermMonths, request.LegalDocumentReference, request.Reason), http.CurrentActor(Roles.Investigator),
            cancellationToken), cancellationToken);

    private static Task<IResult> ReleaseAsync(Guid freezeId, ReleaseFreezeRequest request, HttpContext http,
        ISessionFactory sessions, IQuerySession query, FreezeLifecycle lifecycle, CancellationToken cancellationToken) =>
        ChangeAsync(freezeId, sessions, query, session => lifecycle.ReleaseAsync(session, freezeId,
            new ReleaseInput(request.Amount, request.Reason, request.DocumentReference), http.CurrentActor(Roles.Investigator),
            cancellationToken), cancellationToken);

    private static Task<IResult> HandOverToSeizureAsync(Guid freezeId, ReleaseFreezeRequest request, HttpContext http,
        ISessionFactory sessions, IQuerySession query, FreezeLifecycle lifecycle, CancellationToken cancellationToken) =>
        ChangeAsync(freezeId, sessions, query, session => lifecycle.HandOverToSeizureAsync(session, freezeId,
            new ReleaseInput(request.Amount, request.Reason, request.DocumentReference), http.CurrentActor(Roles.Investigator),
            cancellationToken), cancellationToken);

    private static async Task<IResult> ChangeAsync(Guid freezeId, ISessionFactory sessions, IQuerySession query,
        Func<IDocumentSession, Task> change, CancellationToken cancellationToken)
    {
        await sessions.WriteWithRetryAsync(change, cancellationToken);
        return Results.Ok(await FreezeViews.LoadAsync(query, freezeId, cancellationToken));
    }

    private static async Task<IResult> GetAsync(Guid freezeId, HttpContext http, IQuerySession session, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<Domain.Freeze>(freezeId, cancellationToken) is { } freeze) BankScope.EnsureMaySee(http.User, freeze);
        return Results.Ok(await FreezeViews.LoadAsync(session, freezeId, cancellationToken));
    }

    private static async Task<IResult> ListByCaseAsync(string? caseNumber, int? page, int? pageSize, HttpContext http, IQuerySession session,
        CancellationToken cancellationToken)
    {
        new Validator().Required("caseNumber", caseNumber, 64).ThrowIfInvalid();
        var paging = PageRequest.From(page, pageSize);
        return Results.Ok(await FreezeViews.PageAsync(
            session.Query<Domain.Freeze>().VisibleTo(http.User).Where(f => f.CaseNumber == caseNumber).OrderBy(f => f.RequestedAt), paging,
            cancellationToken));
    }

    private static async Task<IResult> ListExpiringAsync(int? withinDays, int? page, int? pageSize, HttpContext http, IQuerySession session,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var v = new Validator();
        if (withinDays is null or < 0 or > 3660) v.Add("withinDays", "is required: 0 to 3660 days.");
        v.ThrowIfInvalid();
        var paging = PageRequest.From(page, pageSize);
        var until = clock.GetUtcNow().AddDays(withinDays!.Value);
        return Results.Ok(await FreezeViews.PageAsync(session.Query<Domain.Freeze>().VisibleTo(http.User)
            .Where(f => (f.Status == FreezeStatus.FrozenInFull || f.Status == FreezeStatus.FrozenInPart) && f.ExpiresAt <= until)
            .OrderBy(f => f.ExpiresAt), paging, cancellationToken));
    }

    private static async Task<IResult> ListOverdueAsync(int? page, int? pageSize, HttpContext http, IQuerySession session, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var paging = PageRequest.From(page, pageSize);
        var now = clock.GetUtcNow();
        return Results.Ok(await FreezeViews.PageAsync(session.Query<Domain.Freeze>().VisibleTo(http.User)
            .Where(f => f.Status == FreezeStatus.AwaitingBankExecution && f.AcknowledgementDueAt <= now)
            .OrderBy(f => f.AcknowledgementDueAt), paging, cancellationToken));
    }

    private static async Task<IResult> GetAccountHoldsAsync(string bankCode, string accountNumber, HttpContext http, IQuerySession session,
        CancellationToken cancellationToken)
    {
        BankScope.EnsureMaySeeAccount(http.User, bankCode, accountNumber);
        return Results.Ok(await FreezeViews.LoadAccountAsync(session, bankCode, accountNumber, cancellationToken));
    }

    internal static FreezeRequestInput ToInput(this SubmitFreezeRequest r) =>
        new(r.CaseNumber, r.Kind, r.BankCode, r.AccountNumber, r.AccountHolderName, r.Currency, r.Amount, r.WholeBalance,
            r.LegalDocumentReference, r.Reason, r.AssetType, r.MajorCase, r.ApprovedBy, r.ApprovalReference);
}
