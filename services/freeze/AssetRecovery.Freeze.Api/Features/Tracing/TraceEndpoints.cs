using System.Globalization;
using System.Text;
using AssetRecovery.BuildingBlocks;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Freeze.Domain;
using AssetRecovery.Messaging;
using AssetRecovery.ServiceDefaults;
using AssetRecovery.Tracing;
using Marten;

namespace AssetRecovery.Freeze.Features.Tracing;

/// <summary>Traces of a case's money: run one (a background job), read its results, export them, draw them, freeze the targets.</summary>
public static class TraceEndpoints
{
    public static IEndpointRouteBuilder MapTraceEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/cases/{caseNumber}/traces", RunAsync)
            .WithTags("Tracing").RequireRoles(Roles.Investigator).WithName("RunTrace")
            .WithSummary("Trace the victims' money of a case through its imported records under a rule (FIFO, LIFO, ProRata, LIBR, Poison, Haircut).")
            .Produces<TraceView>(StatusCodes.Status202Accepted).ProducesValidationProblem();
        var traces = app.MapGroup("/api/traces/{traceId:guid}").WithTags("Tracing").RequireRoles(Roles.Investigator);
        traces.MapGet("/", GetAsync).WithName("GetTrace")
            .WithSummary("A trace's status, per-victim summary and freeze targets ranked by amount.")
            .Produces<TraceView>().ProducesProblem(StatusCodes.Status404NotFound);
        traces.MapGet("/victims/{victimId}", GetVictimAsync).WithName("GetVictimTrace")
            .WithSummary("Where one victim's money is now and where it left the trail, with the path that carried each amount (the trace is run again for this victim's paths).")
            .Produces<VictimTraceView>().ProducesProblem(StatusCodes.Status404NotFound);
        traces.MapGet("/export", ExportAsync).WithName("ExportTrace")
            .WithSummary("The trace as CSV: one line per holding or exit of each victim, with its path (the trace is run again with every path).")
            .Produces<string>(contentType: "text/csv");
        traces.MapGet("/flow.svg", FlowAsync).WithName("TraceFlowPicture")
            .WithSummary("A picture of the money flow (SVG): all victims' money, or with victimId one victim's along its paths.")
            .Produces<string>(contentType: "image/svg+xml");
        traces.MapPost("/freeze-requests", RequestFreezesAsync).WithName("FreezeTraceTargets")
            .WithSummary("Request a freeze of selected target accounts, each for the amount the trace found there.")
            .Produces<IReadOnlyList<FreezeTargetOutcome>>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    /// <summary>Most victims a trace can name; for more, trace them all.</summary>
    private const int MaxVictims = 100_000;

    private static async Task<IResult> RunAsync(string caseNumber, RunTraceRequest request, HttpContext http, ISessionFactory sessions,
        IQuerySession query, TimeProvider clock, CancellationToken cancellationToken)
    {
        var v = new Validator().Required("caseNumber", caseNumber, 64);
        if (request.Rule is null) v.Add("rule", $"is required ({string.Join(", ", Enum.GetNames<TraceRule>())}).");
        if (request.MaxHops is < 1 or > 1_000) v.Add("maxHops", "must be between 1 and 1000.");
        if (request.From > request.To) v.Add("from", "must not be after 'to'.");
        if (request.Currency is not null) v.Currency("currency", request.Currency);
        if (request.MinimumShare is not null && request.Rule is { } rule
            && !TraceRequest.SharesOutflows(TraceInputs.EngineRule(rule)))
            v.Add("minimumShare", $"applies only to the rules that share outflows (ProRata, Haircut, Poison), not {rule}.");
        if (request.VictimIds is { } ids)
        {
            if (request.AllClaims == true) v.Add("victimIds", "give either victimIds or allClaims, not both.");
            if (ids.Count is 0 or > MaxVictims) v.Add("victimIds", $"must name 1 to {MaxVictims} victims (leave it out for all).");
            for (var i = 0; i < Math.Min(ids.Count, MaxVictims); i++) v.Required($"victimIds[{i}]", ids[i], 64);
        }
        v.ThrowIfInvalid();

        var currencies = await query.Query<CaseTransaction>().Where(t => t.CaseNumber == caseNumber).Select(t => t.Currency).Distinct()
            .ToListAsync(cancellationToken);
        var currency = request.Currency ?? (currencies.Count == 1 ? currencies[0] : null);
        if (currencies.Count == 0) v.Add("caseNumber", "has no imported transactions to trace.");
        else if (currency is null) v.Add("currency", $"is required: the case has records in {string.Join(", ", currencies)}.");
        else if (!currencies.Contains(currency)) v.Add("currency", $"the case has no records in {currency}.");
        if (request.MinimumShare is not null) v.PositiveAmount("minimumShare", request.MinimumShare, currency);
        v.ThrowIfInvalid();

        // "All claims of the case": the victims whose claims are linked to it (and not denied), fixed now in the
        // trace's recorded inputs so that it can be reproduced.
        var victimIds = request.VictimIds?.Select(id => id.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (request.AllClaims == true)
        {
            victimIds = (await query.Query<CaseClaimant>()
                    .Where(c => c.CaseNumber == caseNumber && c.TraceVictimId != null && !c.Denied)
                    .Select(c => c.TraceVictimId!).ToListAsync(cancellationToken))
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (victimIds.Count == 0)
                throw new DomainRuleViolationException("trace.no-claims",
                    $"No claim of case {caseNumber} is linked to a victim id in its bank records yet; link claims first or name the victims.");
        }

        var actor = http.CurrentActor(Roles.Investigator);
        var now = clock.GetUtcNow();
        var trace = new CaseTrace
        {
            Id = Guid.CreateVersion7(), CaseNumber = caseNumber, Rule = request.Rule!.Value, Currency = currency!, VictimIds = victimIds,
            MaxHops = request.MaxHops ?? 50, MinimumShare = request.MinimumShare, From = request.From, To = request.To, RequestedBy = actor,
            RequestedAt = now, Status = TraceStatus.Pending,
        };
        await using (var session = sessions.OpenSession())
        {
            session.Insert(trace);
            session.Events.StartStream(trace.Id, new TraceRequested(trace.Id, caseNumber, trace.Rule, trace.Currency, trace.VictimIds, trace.MaxHops,
                trace.From, trace.To, actor, now, trace.MinimumShare));
            await session.SaveChangesAsync(cancellationToken);
        }
        return Results.Accepted($"/api/traces/{trace.Id}", ToView(trace));
    }

    private static async Task<IResult> GetAsync(Guid traceId, IQuerySession session, CancellationToken cancellationToken) =>
        Results.Ok(ToView(await LoadAsync(session, traceId, cancellationToken)));

    private static async Task<IResult> GetVictimAsync(Guid traceId, string victimId, IQuerySession session, CancellationToken cancellationToken) =>
        Results.Ok(await VictimWithPathsAsync(session, await LoadAsync(session, traceId, cancellationToken), victimId, cancellationToken));

    /// <summary>
    /// A victim of a trace with the paths that carried each amount: the trace keeps no paths (compact), so it is run again
    /// on its records for this victim's paths. Traces stored before that kept every path; theirs are read as they are.
    /// </summary>
    private static async Task<VictimTraceView> VictimWithPathsAsync(IQuerySession session, CaseTrace trace, string victimId, CancellationToken ct)
    {
        var stored = trace.Victims.FirstOrDefault(v => v.VictimId == victimId) ?? throw new ResourceNotFoundException("Victim in trace", victimId);
        if (trace.ImportIds is null) return stored;
        var result = await TraceInputs.RerunAsync(session, trace, TracePaths.ForVictims([victimId]), ct);
        return TraceViews.Victim(result.Victims.Single(v => v.VictimId == victimId), result, trace.Rule);
    }

    private static async Task<IResult> ExportAsync(Guid traceId, IQuerySession session, CancellationToken cancellationToken)
    {
        var trace = await LoadAsync(session, traceId, cancellationToken);
        // One line per path: the trace is run again with every victim's paths (traces stored before kept them).
        var victims = trace.Victims;
        if (trace.ImportIds is not null)
        {
            var full = await TraceInputs.RerunAsync(session, trace, TracePaths.All, cancellationToken);
            victims = full.Victims.Select(v => TraceViews.Victim(v, full, trace.Rule)).ToList();
        }
        var csv = new StringBuilder("victim_id,kind,account,transaction_id,amount,currency,path\n");
        foreach (var victim in victims)
            foreach (var line in victim.Holdings.Concat(victim.Exits))
                csv.Append(CultureInfo.InvariantCulture,
                    $"{Cell(victim.VictimId)},{line.Kind},{Cell(line.Account)},{Cell(line.TransactionId)},{line.Amount},{trace.Currency},{Cell(string.Join(" > ", line.Path))}\n");
        return Results.Text(csv.ToString(), "text/csv", Encoding.UTF8);
    }

    private static async Task<IResult> FlowAsync(Guid traceId, string? victimId, IQuerySession session, CancellationToken cancellationToken)
    {
        var trace = await LoadAsync(session, traceId, cancellationToken);
        if (string.IsNullOrEmpty(victimId)) return Results.Text(TraceFlowSvg.Render(trace, trace.Flow), "image/svg+xml", Encoding.UTF8);

        // One victim's money along its paths.
        var victim = await VictimWithPathsAsync(session, trace, victimId, cancellationToken);
        return Results.Text(TraceFlowSvg.Render(trace, TraceViews.VictimFlow(victim)), "image/svg+xml", Encoding.UTF8);
    }

    private static async Task<IResult> RequestFreezesAsync(Guid traceId, FreezeTargetsRequest request, HttpContext http, ISessionFactory sessions,
        IQuerySession query, FreezeLifecycle lifecycle, CancellationToken cancellationToken)
    {
        var v = new Validator()
            .Required("bankCode", request.BankCode, 32)
            .Required("legalDocumentReference", request.LegalDocumentReference, 128)
            .Required("reason", request.Reason, 2000);
        if (request.Kind is null) v.Add("kind", "is required (StopPayment or Freeze).");
        if (request.Targets is not { Count: > 0 }) v.Add("targets", "must name at least one account.");
        v.ThrowIfInvalid();
        var trace = await LoadAsync(session: query, traceId, cancellationToken);
        if (trace.Status != TraceStatus.Completed)
            throw new DomainRuleViolationException("trace.not-completed", $"Trace {traceId} is {trace.Status}; only a completed trace has targets.");
        var targets = trace.FreezeTargets.ToDictionary(t => t.Account, StringComparer.Ordinal);
        for (var i = 0; i < request.Targets!.Count; i++)
        {
            if (request.Targets[i] is not { } target)
            {
                v.Add($"targets[{i}]", "is empty.");
                continue;
            }
            v.Required($"targets[{i}].accountHolderName", target.AccountHolderName, 200);
            if (target.Account is null || !targets.TryGetValue(target.Account, out var found) || found.Freezable <= 0)
                v.Add($"targets[{i}].account", $"'{target.Account}' holds no traced money in this trace.");
        }
        v.ThrowIfInvalid();

        var actor = http.CurrentActor(Roles.Investigator);
        var outcomes = new List<FreezeTargetOutcome>();
        foreach (var target in request.Targets)
        {
            var input = new FreezeRequestInput(trace.CaseNumber, request.Kind, request.BankCode, target.Account, target.AccountHolderName,
                trace.Currency, targets[target.Account!].Freezable, false, request.LegalDocumentReference,
                $"{request.Reason} (trace {traceId}, {trace.Rule})");
            try
            {
                var decision = await sessions.WriteWithRetryAsync(session => lifecycle.RequestAsync(session, input, actor, cancellationToken), cancellationToken);
                var freeze = await query.LoadAsync<Domain.Freeze>(decision.FreezeId, cancellationToken);
                outcomes.Add(new FreezeTargetOutcome(target.Account!, decision.FreezeId, freeze?.Status.ToString(), null));
            }
            catch (Exception e) when (e is DomainRuleViolationException or RequestValidationException)
            {
                outcomes.Add(new FreezeTargetOutcome(target.Account!, null, null, e.Message));
            }
        }
        return Results.Ok(outcomes);
    }

    private static async Task<CaseTrace> LoadAsync(IQuerySession session, Guid traceId, CancellationToken cancellationToken) =>
        await session.LoadAsync<CaseTrace>(traceId, cancellationToken) ?? throw new ResourceNotFoundException("Trace", traceId.ToString());

    private static TraceView ToView(CaseTrace t) => new(t.Id, t.CaseNumber, t.Rule, t.Currency, t.Status.ToString(), t.Digest, t.Failure,
        t.Transactions, t.RequestedBy, t.RequestedAt, t.CompletedAt,
        t.Victims.Select(v => new VictimSummary(v.VictimId, v.Loss, v.Held, v.LeftTrail)).ToList(), t.FreezeTargets, t.VictimIds,
        t.Status switch
        {
            TraceStatus.Completed => 1m,
            TraceStatus.Running when t.ProgressTotal > 0 => Math.Round((decimal)t.ProgressProcessed / t.ProgressTotal, 2),
            _ => 0m,
        },
        t.MinimumShare, t.MaxHops, t.From, t.To);

    /// <summary>A CSV cell, quoted when it must be; a leading formula character is neutralised for spreadsheets.</summary>
    private static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@') value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }
}
