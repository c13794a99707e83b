using AssetRecovery.BuildingBlocks;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Freeze.Domain;
using AssetRecovery.Freeze.Features;
using AssetRecovery.Freeze.Workflow;
using AssetRecovery.ServiceDefaults;
using Marten;
using Microsoft.Extensions.Options;

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
            .Produces<FreezeAccepted>(StatusCodes.Status201Created)
            .ProducesValidationProblem();

        freezes.MapPost("/{freezeId:guid}/bank-execution", RecordBankExecutionAsync)
            .RequireRoles(Roles.BankLiaison)
            .WithName("RecordBankExecution")
            .WithSummary("Record what the bank actually did: frozen in full, frozen in part, or rejected.")
            .Produces<FreezeView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        freezes.MapGet("/{freezeId:guid}", GetAsync)
            .RequireRoles(Roles.BankLiaison, Roles.Investigator)
            .WithName("GetFreeze")
            .WithSummary("A freeze with its workflow state and its whole history (who, when, what).")
            .Produces<FreezeView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> SubmitAsync(SubmitFreezeRequest request, HttpContext http, IDocumentSession session,
        TimeProvider clock, IOptions<FreezeOptions> options, CancellationToken cancellationToken)
    {
        var actor = http.CurrentActor(Roles.BankLiaison, Roles.Investigator);
        var freezeId = Guid.CreateVersion7();
        var requested = FreezeDecisions.Request(freezeId, request.ToInput(), actor, clock.GetUtcNow(), options.Value);
        session.Events.StartStream<Domain.Freeze>(freezeId, requested);
        await session.SaveChangesAsync(cancellationToken);
        return Results.Created($"/api/freezes/{freezeId}",
            new FreezeAccepted(freezeId, FreezeStatus.AwaitingBankExecution.ToString(), requested.AcknowledgementDueAt));
    }

    private static async Task<IResult> RecordBankExecutionAsync(Guid freezeId, RecordBankExecutionRequest request, HttpContext http,
        IDocumentSession session, TimeProvider clock, CancellationToken cancellationToken)
    {
        var stream = await session.Events.FetchForWriting<Domain.Freeze>(freezeId, cancellationToken);
        var freeze = stream.Aggregate ?? throw new ResourceNotFoundException("Freeze", freezeId.ToString());
        var actor = http.CurrentActor(Roles.BankLiaison);
        stream.AppendOne(FreezeDecisions.RecordBankExecution(freeze, request.ToInput(), actor, clock.GetUtcNow()));
        await session.SaveChangesAsync(cancellationToken);
        return Results.Ok(await FreezeViews.LoadAsync(session, freezeId, cancellationToken));
    }

    private static async Task<IResult> GetAsync(Guid freezeId, IQuerySession session, CancellationToken cancellationToken) =>
        Results.Ok(await FreezeViews.LoadAsync(session, freezeId, cancellationToken));

    private static FreezeRequestInput ToInput(this SubmitFreezeRequest r) =>
        new(r.CaseNumber, r.Kind, r.BankCode, r.AccountNumber, r.AccountHolderName, r.Currency, r.Amount, r.WholeBalance,
            r.LegalDocumentReference, r.Reason);

    private static BankExecutionInput ToInput(this RecordBankExecutionRequest r) =>
        new(r.Outcome, r.FrozenAmount, r.BalanceAtExecution, r.ReasonCode, r.Detail, r.ExecutedAt, r.BankReference);
}
