using AssetRecovery.BuildingBlocks;
using AssetRecovery.Clients.Restitution;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Restitution;
using AssetRecovery.Messaging;
using AssetRecovery.Restitution.Claimants;
using AssetRecovery.Restitution.PreTrialReturns.Workflow;
using AssetRecovery.ServiceDefaults;
using JasperFx.Events;
using Marten;

namespace AssetRecovery.Restitution.PreTrialReturns;

/// <summary>Pre-trial returns of frozen funds over REST (domain-rules.md, "Return to victims").</summary>
public static class PreTrialReturnEndpoints
{
    public static IEndpointRouteBuilder MapPreTrialReturnEndpoints(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/cases/{caseNumber}/pre-trial-returns").WithTags("Pre-trial returns");
        cases.MapPost("", ApplyAsync)
            .RequireRoles(Roles.Investigator).WithName("ApplyPreTrialReturn")
            .WithSummary("File the victims' application (claims, amounts lost, return accounts) for money frozen under a freeze of the case.")
            .Produces<PreTrialReturnView>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        cases.MapGet("", ListAsync)
            .RequireRoles(Roles.Investigator, Roles.Court, Roles.BankLiaison).WithName("ListPreTrialReturns")
            .Produces<IReadOnlyList<PreTrialReturnView>>();

        var returns = app.MapGroup("/api/pre-trial-returns/{returnId:guid}").WithTags("Pre-trial returns");
        returns.MapGet("", GetAsync)
            .RequireRoles(Roles.Investigator, Roles.Court, Roles.BankLiaison).WithName("GetPreTrialReturn")
            .Produces<PreTrialReturnView>().ProducesProblem(StatusCodes.Status404NotFound);
        returns.MapPost("/fund-flow-table", BuildTableAsync)
            .RequireRoles(Roles.Investigator).WithName("BuildFundFlowTable")
            .WithSummary("The fund-flow table of the frozen account from the case's latest trace and what the freeze holds now; replaces any decision.")
            .Produces<PreTrialReturnView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        returns.MapPost("/decision", DecideAsync)
            .RequireRoles(Roles.Investigator).WithName("DecidePreTrialReturn")
            .WithSummary("Direct (one victim), separable by time (FIFO/LIFO trace) or pro rata by loss (starts a 30-day public notice); exact splits.")
            .Produces<PreTrialReturnView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        returns.MapPost("/objections", ObjectAsync)
            .RequireRoles(Roles.Victim, Roles.Investigator).WithName("ObjectToPreTrialReturn")
            .WithSummary("An objection during the public notice: a victim about their own claim, or an investigator.")
            .Produces<ObjectionView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        returns.MapPost("/objections/{objectionId:guid}/resolution", ResolveAsync)
            .RequireRoles(Roles.Investigator).WithName("ResolvePreTrialObjection")
            .Produces<PreTrialReturnView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        returns.MapPost("/approval", ApproveAsync)
            .RequireRoles(Roles.Investigator).WithName("ApprovePreTrialReturn")
            .WithSummary("Approval at prefecture-city level or above (recorded), by another officer than the one who decided; the freeze then pays out.")
            .Produces<PreTrialReturnView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        returns.MapPost("/receipt", ReceiptAsync)
            .RequireRoles(Roles.BankLiaison).WithName("RecordPreTrialReturnReceipt")
            .WithSummary("The bank's receipt: it paid the victims (due 3 working days after the instruction; a late one is recorded as late).")
            .Produces<PreTrialReturnView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<IResult> ApplyAsync(string caseNumber, ApplyPreTrialReturnRequest request, HttpContext http, ISessionFactory sessions,
        IQuerySession query, TimeProvider clock, CancellationToken ct)
    {
        var actor = http.CurrentActor(Roles.Investigator);
        var inputs = request.Applicants?.Select(a => new ApplicantInput(a.ClaimId, a.AmountLost, a.ReturnBankName, a.ReturnAccountNumber,
            a.ReturnAccountHolderName)).ToList();
        var claimIds = inputs?.Where(a => a.ClaimId is not null).Select(a => a.ClaimId!.Value).Distinct().ToList() ?? [];
        var claimants = claimIds.Count == 0 ? new Dictionary<Guid, Claimant>()
            : (await query.LoadManyAsync<Claimant>(ct, claimIds)).ToDictionary(c => c.Id);
        var freeze = request.FreezeId is { } freezeId && freezeId != Guid.Empty ? await FrozenAccounts.LoadAsync(query, freezeId, ct) : null;
        var applied = PreTrialDecisions.Apply(Guid.CreateVersion7(), caseNumber.Trim(), request.FreezeId, inputs, request.Reference, freeze,
            claimants, actor, clock.GetUtcNow());
        await sessions.WriteWithRetryAsync(session =>
        {
            session.Events.StartStream<PreTrialReturn>(applied.ReturnId, applied);
            return Task.FromResult(true);
        }, ct);
        return Results.Created($"/api/pre-trial-returns/{applied.ReturnId}", await LoadViewAsync(query, applied.ReturnId, ct));
    }

    private static async Task<IResult> ListAsync(string caseNumber, IQuerySession query, CancellationToken ct)
    {
        var returns = await query.Query<PreTrialReturn>().Where(r => r.CaseNumber == caseNumber).OrderBy(r => r.AppliedAt).ToListAsync(ct);
        var views = new List<PreTrialReturnView>();
        foreach (var r in returns) views.Add(await LoadViewAsync(query, r.Id, ct));
        return Results.Ok(views);
    }

    private static async Task<IResult> GetAsync(Guid returnId, IQuerySession query, CancellationToken ct) =>
        Results.Ok(await LoadViewAsync(query, returnId, ct));

    private static async Task<IResult> BuildTableAsync(Guid returnId, BuildFundFlowTableRequest? request, HttpContext http, ISessionFactory sessions,
        IQuerySession query, TimeProvider clock, CancellationToken ct)
    {
        var actor = http.CurrentActor(Roles.Investigator);
        return await ChangeAsync(returnId, sessions, query, ct, async (ret, session) =>
        {
            var trace = await session.LoadAsync<CaseTrace>(CaseTrace.IdFor(ret.CaseNumber, ret.Currency), ct);
            var freeze = await FrozenAccounts.LoadAsync(session, ret.FreezeId, ct);
            return PreTrialDecisions.BuildTable(ret, trace, freeze, actor, clock.GetUtcNow());
        });
    }

    private static Task<IResult> DecideAsync(Guid returnId, DecidePreTrialReturnRequest request, HttpContext http, ISessionFactory sessions,
        IQuerySession query, TimeProvider clock, CancellationToken ct)
    {
        var actor = http.CurrentActor(Roles.Investigator);
        return ChangeAsync(returnId, sessions, query, ct, (ret, _) =>
            Task.FromResult<ICaseEvent?>(PreTrialDecisions.Decide(ret, request.DecisionReference, request.Reason, actor, clock.GetUtcNow())));
    }

    private static async Task<IResult> ObjectAsync(Guid returnId, FileObjectionRequest request, HttpContext http, ISessionFactory sessions,
        IQuerySession query, TimeProvider clock, CancellationToken ct)
    {
        var isVictim = !http.User.IsInRole(Roles.Investigator);
        var actor = http.CurrentActor(Roles.Investigator, Roles.Victim);
        var claimant = request.ClaimId is { } claimId ? await query.LoadAsync<Claimant>(claimId, ct) : null;
        var objectionId = Guid.CreateVersion7();
        await sessions.WriteWithRetryAsync(async session =>
        {
            var stream = await session.Events.FetchForWriting<PreTrialReturn>(returnId, ct);
            var ret = stream.Aggregate ?? throw new ResourceNotFoundException("Pre-trial return", returnId.ToString());
            stream.AppendOne(PreTrialDecisions.Object(ret, objectionId, request.ClaimId, request.Grounds, claimant, actor, isVictim, clock.GetUtcNow()));
            return true;
        }, ct);
        var saved = await query.LoadAsync<PreTrialReturn>(returnId, ct);
        var objection = saved!.Objections.Single(o => o.ObjectionId == objectionId);
        return Results.Created($"/api/pre-trial-returns/{returnId}", ToView(objection));
    }

    private static Task<IResult> ResolveAsync(Guid returnId, Guid objectionId, ResolveObjectionRequest request, HttpContext http, ISessionFactory sessions,
        IQuerySession query, TimeProvider clock, CancellationToken ct)
    {
        var actor = http.CurrentActor(Roles.Investigator);
        return ChangeAsync(returnId, sessions, query, ct, (ret, _) =>
            Task.FromResult<ICaseEvent?>(PreTrialDecisions.Resolve(ret, objectionId, request.Outcome, request.Reason, actor, clock.GetUtcNow())));
    }

    private static Task<IResult> ApproveAsync(Guid returnId, ApprovePreTrialReturnRequest request, HttpContext http, ISessionFactory sessions,
        IQuerySession query, TimeProvider clock, CancellationToken ct)
    {
        var actor = http.CurrentActor(Roles.Investigator);
        return ChangeAsync(returnId, sessions, query, ct, (ret, _) =>
            Task.FromResult<ICaseEvent?>(PreTrialDecisions.Approve(ret, request.ApproverLevel, request.ApprovalReference, actor, clock.GetUtcNow())));
    }

    private static Task<IResult> ReceiptAsync(Guid returnId, RecordReturnReceiptRequest request, HttpContext http, ISessionFactory sessions,
        IQuerySession query, TimeProvider clock, CancellationToken ct)
    {
        var actor = http.CurrentActor(Roles.BankLiaison);
        return ChangeAsync(returnId, sessions, query, ct, (ret, _) =>
            Task.FromResult<ICaseEvent?>(PreTrialDecisions.RecordReceipt(ret, request.BankReference, request.ExecutedAt, actor, clock.GetUtcNow())));
    }

    private static async Task<IResult> ChangeAsync(Guid returnId, ISessionFactory sessions, IQuerySession query, CancellationToken ct,
        Func<PreTrialReturn, IDocumentSession, Task<ICaseEvent?>> decide)
    {
        await sessions.WriteWithRetryAsync(async session =>
        {
            var stream = await session.Events.FetchForWriting<PreTrialReturn>(returnId, ct);
            var ret = stream.Aggregate ?? throw new ResourceNotFoundException("Pre-trial return", returnId.ToString());
            if (await decide(ret, session) is { } change) stream.AppendOne(change);
            return true;
        }, ct);
        return Results.Ok(await LoadViewAsync(query, returnId, ct));
    }

    private static async Task<PreTrialReturnView> LoadViewAsync(IQuerySession query, Guid returnId, CancellationToken ct)
    {
        var r = await query.LoadAsync<PreTrialReturn>(returnId, ct) ?? throw new ResourceNotFoundException("Pre-trial return", returnId.ToString());
        var events = await query.Events.FetchStreamAsync(returnId, token: ct);
        var saga = await query.LoadAsync<PreTrialReturnSagaState>(returnId, ct);
        var table = r.Table is { } t ? new FundFlowTableView(t.TraceId, t.TraceRule, t.TraceCompletedAt, t.Frozen, t.Rows, t.BuiltBy, t.BuiltAt) : null;
        return new PreTrialReturnView(
            r.Id, r.CaseNumber, r.FreezeId, r.AccountNumber, r.Currency, r.Status.ToString(), r.Reference, r.Applicants, table,
            r.Decision?.Mode.ToString(), r.Decision?.Available, r.Decision?.Allocations ?? [], r.Decision?.Total, r.Decision?.StaysFrozen,
            r.Decision?.DecisionReference, r.Decision?.NoticeEndsAt,
            r.NoticeClosedAt is not null,
            r.Objections.Select(ToView).ToList(),
            r.Approval?.ApproverLevel, r.Approval?.ApprovalReference, r.Approval?.ApprovedBy,
            r.Instruction?.RemainingFrozen, r.Instruction?.InstructedAt, r.Instruction?.ReceiptDueAt, r.EscalatedAt is not null, r.EscalatedAt,
            r.Receipt?.BankReference, r.Receipt?.RecordedAt, r.Refusal?.Rule, r.Refusal?.Detail,
            saga is null ? null : new PreTrialWorkflowView(saga.CurrentState, saga.NoticeEndTokenId is not null, saga.ReceiptDeadlineTokenId is not null,
                saga.UpdatedAt),
            events.Select(History).ToList());
    }

    private static ObjectionView ToView(PreTrialObjection o) =>
        new(o.ObjectionId, o.ClaimId, o.Grounds, o.FiledBy, o.FiledAt, o.Outcome?.ToString(), o.Resolution, o.ResolvedBy, o.ResolvedAt);

    private static PreTrialHistoryEntry History(IEvent e) => e.Data switch
    {
        PreTrialReturnApplied x => new(e.Version, nameof(PreTrialReturnApplied), x.AppliedAt, x.AppliedBy,
            $"Application {x.Reference}: {x.Applicants.Count} victim(s) for account {x.AccountNumber} (freeze {x.FreezeId})"),
        PreTrialFundFlowTableBuilt x => new(e.Version, nameof(PreTrialFundFlowTableBuilt), x.BuiltAt, x.BuiltBy,
            $"Fund-flow table from trace {x.TraceId} ({x.TraceRule}): {x.Rows.Count} victim(s), {x.Frozen.Amount} {x.Frozen.Currency} frozen"),
        PreTrialReturnDecided x => new(e.Version, nameof(PreTrialReturnDecided), x.DecidedAt, x.DecidedBy,
            $"{x.Mode} return of {x.Total.Amount} {x.Total.Currency} ({x.DecisionReference}): {x.Reason}" +
            (x.NoticeEndsAt is { } ends ? $"; public notice until {ends:u}" : "")),
        PreTrialReturnObjectionFiled x => new(e.Version, nameof(PreTrialReturnObjectionFiled), x.FiledAt, x.FiledBy, $"Objection: {x.Grounds}"),
        PreTrialReturnObjectionResolved x => new(e.Version, nameof(PreTrialReturnObjectionResolved), x.ResolvedAt, x.ResolvedBy,
            $"Objection {x.Outcome}: {x.Reason}"),
        PreTrialReturnNoticeClosed x => new(e.Version, nameof(PreTrialReturnNoticeClosed), x.ClosedAt, null,
            $"Public notice ended {x.NoticeEndsAt:u} with {x.Objections} objection(s)"),
        PreTrialReturnApproved x => new(e.Version, nameof(PreTrialReturnApproved), x.ApprovedAt, x.ApprovedBy,
            $"Approved at {x.ApproverLevel} level ({x.ApprovalReference})"),
        PreTrialReturnInstructed x => new(e.Version, nameof(PreTrialReturnInstructed), x.InstructedAt, null,
            $"Freeze paid out {x.Total.Amount} {x.Total.Currency} ({x.RemainingFrozen.Amount} still frozen); bank instructed, receipt due {x.ReceiptDueAt:u}"),
        PreTrialReturnExecutionRefused x => new(e.Version, nameof(PreTrialReturnExecutionRefused), x.RefusedAt, null, $"Refused ({x.Rule}): {x.Detail}"),
        PreTrialReturnReceiptOverdue x => new(e.Version, nameof(PreTrialReturnReceiptOverdue), x.EscalatedAt, null,
            $"Bank's receipt overdue since {x.DueAt:u}: escalated"),
        PreTrialReturnReceiptRecorded x => new(e.Version, nameof(PreTrialReturnReceiptRecorded), x.RecordedAt, x.RecordedBy,
            $"Receipt {x.BankReference}" + (x.Late ? " (late)" : "")),
        _ => new(e.Version, e.EventTypeName, e.Timestamp, null, e.EventTypeName),
    };
}
