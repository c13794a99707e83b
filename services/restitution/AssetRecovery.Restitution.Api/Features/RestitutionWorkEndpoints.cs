using System.Diagnostics;
using AssetRecovery.BuildingBlocks;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Clients.Restitution;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Restitution;
using AssetRecovery.Messaging;
using AssetRecovery.Restitution.Claimants;
using AssetRecovery.Restitution.Distribution;
using AssetRecovery.Restitution.Orders;
using AssetRecovery.Restitution.Payments;
using AssetRecovery.ServiceDefaults;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AssetRecovery.Restitution.Features;

/// <summary>Court orders, distribution rounds and payments over REST.</summary>
public static class RestitutionWorkEndpoints
{
    public static IEndpointRouteBuilder MapRestitutionWorkEndpoints(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/cases/{caseNumber}");
        cases.MapPut("/restitution-order", RecordOrderAsync)
            .WithTags("Orders").RequireRoles(Roles.Court).WithName("RecordRestitutionOrder")
            // An order may name up to 100,000 victims (about 10 MB of JSON): more than the 1 MB default.
            .AcceptsBulkBody()
            .WithSummary("Record the case's restitution order, or amend it in full (amendmentReason required); every version is kept.")
            .Produces<RestitutionOrderView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        cases.MapGet("/restitution-order", GetOrderAsync)
            .WithTags("Orders").RequireRoles(Roles.Court, Roles.Investigator).WithName("GetRestitutionOrder")
            .Produces<RestitutionOrderView>().ProducesProblem(StatusCodes.Status404NotFound);
        cases.MapGet("/restitution-order/victims", ListOrderedVictimsAsync)
            .WithTags("Orders").RequireRoles(Roles.Court, Roles.Investigator).WithName("ListOrderedVictims")
            .WithSummary("A page of the victims the order's current version names, in the order's sequence.")
            .Produces<Page<OrderedVictim>>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        cases.MapPost("/distribution-rounds", PlanRoundAsync)
            .WithTags("Distribution").RequireRoles(Roles.Investigator).WithName("PlanDistributionRound")
            .WithSummary("Distribute money from the case's recovery pool under the order: classes in the legal order, the order's policy, exact splits.")
            .WithDescription("Answers 202: the seizure service then pays the round's money out of the pool (or refuses, cancelling the round); " +
                             "once funded, one payment instruction per payee goes to the banks.")
            .Produces<DistributionRoundView>(StatusCodes.Status202Accepted).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        cases.MapPut("/auto-distribution", SetAutoDistributionAsync)
            .WithTags("Distribution").RequireRoles(Roles.Investigator).WithName("SetAutoDistribution")
            .WithSummary("Let the case's recovery saga start a round by itself whenever money reaches the pool (or stop it).")
            .Produces<CaseRecoveryView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        cases.MapGet("/recovery", GetRecoveryAsync)
            .WithTags("Distribution").RequireRoles(Roles.Court, Roles.Investigator).WithName("GetCaseRecovery")
            .WithSummary("Where the case's recovery stands: auto-distribution, rounds, closed or not.")
            .Produces<CaseRecoveryView>();
        cases.MapGet("/distribution-rounds", ListRoundsAsync)
            .WithTags("Distribution").RequireRoles(Roles.Court, Roles.Investigator).WithName("ListDistributionRounds")
            .Produces<IReadOnlyList<DistributionRoundView>>();
        cases.MapGet("/distribution-rounds/{roundId:guid}/allocations", ListAllocationsAsync)
            .WithTags("Distribution").RequireRoles(Roles.Court, Roles.Investigator).WithName("ListRoundAllocations")
            .WithSummary("Who the round gives what, in the order the split made them, a page at a time.")
            .Produces<Page<RoundAllocation>>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        cases.MapGet("/payments", ListPaymentsAsync)
            .WithTags("Payments").RequireRoles(Roles.Court, Roles.Investigator, Roles.BankLiaison).WithName("ListPayments")
            .WithSummary("The case's payments a page at a time, in the order they were instructed; status (Instructed, Confirmed, Failed) narrows them.")
            .Produces<Page<PaymentView>>().ProducesValidationProblem();

        var payments = app.MapGroup("/api/payments/{paymentId:guid}").WithTags("Payments");
        payments.MapPost("/confirmation", ConfirmAsync)
            .RequireRoles(Roles.BankLiaison).WithName("ConfirmPayment")
            .WithSummary("The bank paid: recorded once per instruction (the same reference again changes nothing).")
            .Produces<PaymentView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        payments.MapPost("/failure", FailAsync)
            .RequireRoles(Roles.BankLiaison).WithName("FailPayment")
            .WithSummary("The bank could not pay (e.g. account closed); the payment waits for a corrected account.")
            .Produces<PaymentView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        payments.MapPost("/reinstruction", ReinstructAsync)
            .RequireRoles(Roles.Investigator).WithName("ReinstructPayment")
            .WithSummary("Instruct a failed payment again, to the corrected account the victim gave.")
            .Produces<PaymentView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<IResult> RecordOrderAsync(string caseNumber, RecordRestitutionOrderRequest request, HttpContext http,
        ISessionFactory sessions, IQuerySession query, NpgsqlDataSource database, IOptions<OrderOptions> options, TimeProvider clock,
        CancellationToken ct)
    {
        new Validator().Required("caseNumber", caseNumber, 64).ThrowIfInvalid();
        var actor = http.CurrentActor(Roles.Court);
        var now = clock.GetUtcNow();
        var terms = OrderDecisions.Terms(request, DateOnly.FromDateTime(now.UtcDateTime));
        var victims = terms.Victims;
        var claimCases = await Claimant.CaseNumbersAsync(database, query, victims.Select(x => x.ClaimId).ToList(), ct);
        OrderDecisions.EnsureClaimsBelong(caseNumber, terms, claimCases);
        // The version's event states the terms; its victims follow it, a part to an event.
        var stated = terms with { Victims = [] };
        var perEvent = options.Value.VictimsPerEvent;
        // The order as its events made it, not read back.
        var recorded = await sessions.WriteWithRetryAsync(async session =>
        {
            var stream = await session.Events.FetchForWriting<RestitutionOrder>(RestitutionOrder.StreamIdFor(caseNumber), ct);
            if (stream.Aggregate is not { } order)
            {
                var created = new RestitutionOrderRecorded(stream.Id, caseNumber, stated, actor, now, victims.Count);
                stream.AppendOne(created);
                stream.AppendMany(OrderDecisions.VictimLists(stream.Id, caseNumber, 1, victims, perEvent));
                return RestitutionOrder.Create(created);
            }
            if (await SameAsync(order, terms, database, session, ct)) return order; // a repeat of the current version
            new Validator().Required("amendmentReason", request.AmendmentReason, 2000).ThrowIfInvalid();
            var version = order.OrderVersion + 1;
            var amended = new RestitutionOrderAmended(order.Id, caseNumber, version, stated, request.AmendmentReason!.Trim(), actor, now, victims.Count);
            stream.AppendOne(amended);
            stream.AppendMany(OrderDecisions.VictimLists(order.Id, caseNumber, version, victims, perEvent));
            return order.Apply(amended);
        }, ct);
        await using var connection = await database.OpenConnectionAsync(ct);
        var history = await OrderHistory.ReadAsync(connection, query.DocumentStore.Options, recorded.Id, ct);
        // Read after the commit: an amendment committed since then is not this answer's.
        return Results.Ok(View(recorded, victims, history.Where(h => h.Version <= recorded.OrderVersion).ToList()));
    }

    /// <summary>
    /// Whether the terms are those of the order's current version. Records hold lists, which compare by reference: the
    /// lists are compared by content, the victims with the version's rows only when everything else is the same.
    /// </summary>
    private static async Task<bool> SameAsync(RestitutionOrder order, RestitutionOrderTerms terms, NpgsqlDataSource database, IQuerySession session,
        CancellationToken ct)
    {
        var (a, b) = (order.Terms, terms);
        if (a with { Defendants = [], Victims = [], Creditors = [] } != b with { Defendants = [], Victims = [], Creditors = [] }
            || !a.Defendants.SequenceEqual(b.Defendants) || !a.Creditors.SequenceEqual(b.Creditors))
            return false;
        await using var connection = await database.OpenConnectionAsync(ct);
        var current = await OrderVictimRows.ReadAsync(connection, session.DocumentStore.Options, order.Id, order.Terms.Currency, 0, null, ct);
        return current.SequenceEqual(b.Victims);
    }

    private static async Task<IResult> GetOrderAsync(string caseNumber, IQuerySession query, NpgsqlDataSource database, CancellationToken ct)
    {
        await using var snapshot = await OrderSnapshot.OpenAsync(database, query, caseNumber, ct)
                                   ?? throw new ResourceNotFoundException("Restitution order of case", caseNumber);
        return Results.Ok(View(snapshot.Order, await snapshot.VictimsAsync(0, null, ct), await snapshot.HistoryAsync(ct)));
    }

    /// <summary>An order may name 100,000 victims: they can be read a page at a time.</summary>
    private static async Task<IResult> ListOrderedVictimsAsync(string caseNumber, int? page, int? pageSize, IQuerySession query,
        NpgsqlDataSource database, CancellationToken ct)
    {
        var paging = PageRequest.From(page, pageSize);
        await using var snapshot = await OrderSnapshot.OpenAsync(database, query, caseNumber, ct)
                                   ?? throw new ResourceNotFoundException("Restitution order of case", caseNumber);
        var items = await snapshot.VictimsAsync(paging.Skip, paging.Size, ct);
        return Results.Ok(new Page<OrderedVictim>(items, paging.Number, paging.Size, await snapshot.CountVictimsAsync(ct)));
    }

    private static RestitutionOrderView View(RestitutionOrder order, IReadOnlyList<OrderedVictim> victims, IReadOnlyList<OrderHistoryEntry> history) =>
        new(order.Id, order.CaseNumber, order.OrderVersion, order.Terms with { Victims = victims }, order.RecordedBy, order.RecordedAt,
            order.UpdatedAt, history);

    private static async Task<IResult> PlanRoundAsync(string caseNumber, PlanRoundRequest request, HttpContext http, ISessionFactory sessions,
        IQuerySession query, NpgsqlDataSource database, TimeProvider clock, IOptions<DistributionOptions> options, ILoggerFactory loggers,
        CancellationToken ct)
    {
        var actor = http.CurrentActor(Roles.Investigator);
        var started = Stopwatch.GetTimestamp();
        var order = await OrderForRound.ReadAsync(database, query, caseNumber, ct)
                    ?? throw new ResourceNotFoundException("Restitution order of case", caseNumber);
        var orderRead = Stopwatch.GetElapsedTime(started);
        new Validator().PositiveAmount("amount", request.Amount, order.Currency).Required("reference", request.Reference, 100).ThrowIfInvalid();
        var roundId = Guid.CreateVersion7();
        var attempt = 0;
        var planning = TimeSpan.Zero;
        var planned = await sessions.WriteWithRetryAsync(async session =>
        {
            var attemptStarted = Stopwatch.GetTimestamp();
            var stream = await session.Events.FetchForWriting<CaseDistribution>(CaseDistribution.StreamIdFor(caseNumber), ct);
            // The order read above on the first attempt; a retry after a conflict reads it again, in case it was amended meanwhile.
            var current = ++attempt == 1 ? order : await OrderForRound.ReadAsync(database, session, caseNumber, ct) ?? order;
            var allocated = await RoundAllocations.AllocatedMinorAsync(session, stream.Aggregate, current.Currency, ct);
            var round = RoundPlanning.Plan(roundId, current, stream.Aggregate, allocated, request.Amount!.Value,
                request.Reference!.Trim(), actor, clock.GetUtcNow());
            stream.AppendMany(RoundPlanning.Appended(round, options.Value.AllocationsPerEvent));
            planning = Stopwatch.GetElapsedTime(attemptStarted);
            return round;
        }, ct);
        // A round for a large order takes a second or more: the log says where it went.
        var recording = Stopwatch.GetElapsedTime(started) - orderRead - planning;
        loggers.CreateLogger("AssetRecovery.Restitution.Distribution").LogInformation(
            "Round {RoundId} of case {CaseNumber} planned by {Actor}: {Allocations} allocations; order read in {OrderReadMs:F0} ms, " +
            "planned in {PlanningMs:F0} ms, recorded in {RecordingMs:F0} ms ({Attempts} attempt(s))", roundId, caseNumber, actor.Subject,
            planned.Allocations.Count, orderRead.TotalMilliseconds, planning.TotalMilliseconds, recording.TotalMilliseconds, attempt);
        // The round as its event made it, not read back: at this moment it is Planned.
        return Results.Accepted($"/api/cases/{caseNumber}/distribution-rounds",
            ToView(caseNumber, new CaseDistribution { CaseNumber = caseNumber }.Apply(planned).Rounds.Single()));
    }

    private static async Task<IResult> SetAutoDistributionAsync(string caseNumber, SetAutoDistributionRequest request, HttpContext http,
        ISessionFactory sessions, IQuerySession query, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validator().Required("caseNumber", caseNumber, 64);
        if (request.Enabled is null) v.Add("enabled", "is required.");
        v.ThrowIfInvalid();
        var actor = http.CurrentActor(Roles.Investigator);
        await sessions.WriteWithRetryAsync(async session =>
        {
            var stream = await session.Events.FetchForWriting<CaseDistribution>(CaseDistribution.StreamIdFor(caseNumber), ct);
            if (stream.Aggregate?.ClosedAt is not null)
                throw new DomainRuleViolationException("case.closed", $"The case's recovery was closed: {stream.Aggregate.ClosedReason}");
            if (stream.Aggregate?.AutoDistribute != request.Enabled)
                stream.AppendOne(new AutoDistributionSet(caseNumber, request.Enabled!.Value, actor, clock.GetUtcNow()));
            return true;
        }, ct);
        return await GetRecoveryAsync(caseNumber, query, ct);
    }

    private static async Task<IResult> GetRecoveryAsync(string caseNumber, IQuerySession query, CancellationToken ct)
    {
        var distribution = await query.LoadAsync<CaseDistribution>(CaseDistribution.StreamIdFor(caseNumber), ct);
        return Results.Ok(new CaseRecoveryView(caseNumber, distribution?.AutoDistribute ?? false, distribution?.Rounds.Count ?? 0,
            distribution?.ClosedAt, distribution?.ClosedReason));
    }

    private static async Task<IResult> ListRoundsAsync(string caseNumber, IQuerySession query, CancellationToken ct)
    {
        var distribution = await query.LoadAsync<CaseDistribution>(CaseDistribution.StreamIdFor(caseNumber), ct);
        return Results.Ok((distribution?.Rounds ?? []).Select(r => ToView(caseNumber, r)).ToList());
    }

    private static async Task<IResult> ListAllocationsAsync(string caseNumber, Guid roundId, int? page, int? pageSize, IQuerySession query,
        CancellationToken ct)
    {
        var paging = PageRequest.From(page, pageSize);
        var distribution = await query.LoadAsync<CaseDistribution>(CaseDistribution.StreamIdFor(caseNumber), ct);
        var round = distribution?.Rounds.FirstOrDefault(r => r.RoundId == roundId)
                    ?? throw new ResourceNotFoundException("Distribution round", roundId.ToString());
        var items = await RoundAllocations.PageAsync(query, caseNumber, roundId, paging.Skip, paging.Size, ct);
        return Results.Ok(new Page<RoundAllocation>(items, paging.Number, paging.Size, round.AllocationCount));
    }

    private static DistributionRoundView ToView(string caseNumber, DistributionRound r) =>
        new(r.RoundId, caseNumber, r.OrderVersion, r.Policy, r.Requested, r.Distributed, r.AllocationCount, r.Reference, r.PlannedBy,
            r.PlannedAt, r.Status.ToString(), r.SettledAt, r.CancelReason);

    /// <summary>A round of 100,000 payees is 100,000 payments: they are listed a page at a time.</summary>
    private static async Task<IResult> ListPaymentsAsync(string caseNumber, string? status, int? page, int? pageSize, IQuerySession query,
        CancellationToken ct)
    {
        var paging = PageRequest.From(page, pageSize);
        var wanted = Validator.OptionalEnum<PaymentStatus>("status", status);
        var payments = query.Query<Payment>().Where(p => p.CaseNumber == caseNumber);
        if (wanted is { } only) payments = payments.Where(p => p.Status == only);
        var total = await payments.CountAsync(ct);
        // A page of instructions shares one instant: the id keeps pages apart.
        var items = await payments.OrderBy(p => p.InstructedAt).ThenBy(p => p.Id).Skip(paging.Skip).Take(paging.Size).ToListAsync(ct);
        return Results.Ok(new Page<PaymentView>(items.Select(ToView).ToList(), paging.Number, paging.Size, total));
    }

    private static Task<IResult> ConfirmAsync(Guid paymentId, ConfirmPaymentRequest request, HttpContext http, ISessionFactory sessions,
        IQuerySession query, TimeProvider clock, CancellationToken ct) =>
        ChangePaymentAsync(paymentId, sessions, query, ct, payment =>
        {
            new Validator().Required("bankReference", request.BankReference, 100).ThrowIfInvalid();
            var reference = request.BankReference!.Trim();
            return payment.Status switch
            {
                PaymentStatus.Confirmed when payment.BankReference == reference => null,
                PaymentStatus.Confirmed => throw new DomainRuleViolationException("payment.already-confirmed",
                    $"The payment was already confirmed with reference {payment.BankReference}."),
                PaymentStatus.Failed => throw new DomainRuleViolationException("payment.failed",
                    "The payment failed; it must be instructed again to a corrected account first."),
                _ => new PaymentConfirmed(payment.Id, payment.RoundId, payment.CaseNumber, payment.ClaimId, payment.Amount, reference,
                    http.CurrentActor(Roles.BankLiaison), clock.GetUtcNow()),
            };
        });

    private static Task<IResult> FailAsync(Guid paymentId, FailPaymentRequest request, HttpContext http, ISessionFactory sessions,
        IQuerySession query, TimeProvider clock, CancellationToken ct) =>
        ChangePaymentAsync(paymentId, sessions, query, ct, payment =>
        {
            new Validator().Required("reason", request.Reason, 500).ThrowIfInvalid();
            return payment.Status switch
            {
                PaymentStatus.Failed when payment.FailureReason == request.Reason!.Trim() => null,
                PaymentStatus.Instructed => new PaymentFailed(payment.Id, payment.RoundId, payment.CaseNumber, payment.ClaimId, payment.Amount,
                    request.Reason!.Trim(), http.CurrentActor(Roles.BankLiaison), clock.GetUtcNow()),
                _ => throw new DomainRuleViolationException("payment.not-instructed", $"The payment is {payment.Status}; only an instructed one can fail."),
            };
        });

    private static Task<IResult> ReinstructAsync(Guid paymentId, ReinstructPaymentRequest request, HttpContext http, ISessionFactory sessions,
        IQuerySession query, TimeProvider clock, CancellationToken ct) =>
        ChangePaymentAsync(paymentId, sessions, query, ct, payment =>
        {
            new Validator().Required("bankName", request.BankName, 200).Required("accountNumber", request.AccountNumber, 64).ThrowIfInvalid();
            if (payment.Status != PaymentStatus.Failed)
                throw new DomainRuleViolationException("payment.not-failed", $"The payment is {payment.Status}; only a failed one is instructed again.");
            return new PaymentReinstructed(payment.Id, payment.CaseNumber, request.AccountNumber!.Trim(), request.BankName!.Trim(),
                http.CurrentActor(Roles.Investigator), clock.GetUtcNow());
        });

    private static async Task<IResult> ChangePaymentAsync(Guid paymentId, ISessionFactory sessions, IQuerySession query, CancellationToken ct,
        Func<Payment, ICaseEvent?> decide)
    {
        await sessions.WriteWithRetryAsync(async session =>
        {
            var stream = await session.Events.FetchForWriting<Payment>(paymentId, ct);
            var payment = stream.Aggregate ?? throw new ResourceNotFoundException("Payment", paymentId.ToString());
            if (decide(payment) is { } change) stream.AppendOne(change);
            return true;
        }, ct);
        return Results.Ok(ToView(await query.LoadAsync<Payment>(paymentId, ct) ?? throw new ResourceNotFoundException("Payment", paymentId.ToString())));
    }

    private static PaymentView ToView(Payment p) => new(p.Id, p.RoundId, p.CaseNumber, p.Class, p.ClaimId, p.Payee, p.Amount, p.BankName,
        p.AccountNumber, p.Status.ToString(), p.BankReference, p.FailureReason, p.Attempts, p.InstructedAt, p.UpdatedAt);
}
