using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Contracts.Restitution;
using AssetRecovery.VictimClaim.Domain;
using AssetRecovery.VictimClaim.MoneyTrail;
using AssetRecovery.VictimClaim.Notifications;
using Marten;
using MassTransit;

namespace AssetRecovery.VictimClaim.Cases;

/// <summary>
/// Keeps the case projections from the freeze service's relayed events and tells the victims whose figures changed.
/// Changes are staged only: the inbox filter commits them with the message id, so a redelivered event does nothing,
/// and optimistic concurrency on the case documents turns two racing events into a retry. Freeze requests are not
/// taken: a request secures nothing, and the bank's execution names the account (taking every request cost about a
/// third of the machine's CPU per freeze under intake, docs/benchmarks finding 21).
/// </summary>
public sealed class CaseInterceptionConsumer(IDocumentSession session, TimeProvider clock) :
    IConsumer<FreezeExecutedByBank>, IConsumer<FreezeReleased>, IConsumer<FreezeHandedOverToSeizure>,
    IConsumer<FreezeLapsed>
{
    public Task Consume(ConsumeContext<FreezeExecutedByBank> context) => ApplyAsync(context.Message.CaseNumber, context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<FreezeReleased> context) => ApplyAsync(context.Message.CaseNumber, context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<FreezeHandedOverToSeizure> context) => ApplyAsync(context.Message.CaseNumber, context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<FreezeLapsed> context) => ApplyAsync(context.Message.CaseNumber, context.Message, context.CancellationToken);

    /// <summary>Cases whose events are taken side by side (the endpoint's concurrency).</summary>
    public const int CasesAtOnce = 8;

    /// <summary>
    /// A case's events one at a time, in a partition keyed by the case: they change the same victims' notification
    /// records, and taken together they conflicted and their retries' back-off held a victim's figure back for over
    /// 30 s. Different cases go side by side (one at a time overall drained about 225 events a second).
    /// </summary>
    public static void OneCaseAtATime(IConsumerConfigurator<CaseInterceptionConsumer> consumer)
    {
        var partitioner = consumer.CreatePartitioner(CasesAtOnce);
        void ByCase<T>() where T : class, ICaseEvent =>
            consumer.Message<T>(m => m.UsePartitioner(partitioner, c => CaseKey(c.Message.CaseNumber)));
        ByCase<FreezeExecutedByBank>();
        ByCase<FreezeReleased>();
        ByCase<FreezeHandedOverToSeizure>();
        ByCase<FreezeLapsed>();
    }

    private static Guid CaseKey(string caseNumber) => NameBasedIds.For($"assetrecovery/case/{caseNumber}");

    private async Task ApplyAsync(string caseNumber, object change, CancellationToken ct)
    {
        var freezeId = InterceptedHold.FreezeIdOf(change);
        var hold = await session.LoadAsync<InterceptedHold>(freezeId, ct) ?? new InterceptedHold { Id = freezeId, CaseNumber = caseNumber };
        var before = (hold.Account, hold.Currency, hold.Secured);
        hold.Apply(change);
        session.Store(hold);
        // The victims' figures depend on the money secured per account: nothing that leaves the hold without money
        // before and after changes them (e.g. a release that arrived before its execution).
        if ((hold.Account, hold.Currency, hold.Secured) == before || (before.Secured == 0m && hold.Secured == 0m)) return;
        await CaseClaims.TellVictimsAsync(session, caseNumber,
            () => CaseClaims.FiguresAsync(session, caseNumber, ct, changedHold: hold), clock.GetUtcNow(), ct);
    }
}

/// <summary>Keeps what restitution ordered and paid per claim; staged like <see cref="CaseInterceptionConsumer"/>.</summary>
public sealed class CaseRestitutionConsumer(IDocumentSession session, TimeProvider clock) :
    IConsumer<RestitutionOrderRecorded>, IConsumer<RestitutionOrderAmended>, IConsumer<RestitutionOrderVictimsListed>, IConsumer<PaymentConfirmed>,
    IConsumer<PreTrialReturnInstructed>, IConsumer<PreTrialReturnReceiptRecorded>
{
    public Task Consume(ConsumeContext<RestitutionOrderRecorded> context) => ApplyAsync(context.Message.CaseNumber, context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<RestitutionOrderAmended> context) => ApplyAsync(context.Message.CaseNumber, context.Message, context.CancellationToken);

    /// <summary>
    /// Part of a version's victims: kept apart until the version is whole, then the version is taken and every victim of
    /// the case is told. Before that nobody is: a victim would see their ordered amount drop to nothing and come back.
    /// The case document is read without its current order's amounts (megabytes for 100,000 victims) until then.
    /// </summary>
    public async Task Consume(ConsumeContext<RestitutionOrderVictimsListed> context)
    {
        var e = context.Message;
        var ct = context.CancellationToken;
        var waiting = await CaseRestitution.ForClaimsAsync(session, e.CaseNumber, [], ct);
        if (waiting is not null && (e.OrderVersion <= waiting.OrderVersion || e.OrderVersion < waiting.PendingVersion)) return; // a version replaced
        var part = OrderVictimsPart.Of(e);
        // Not all in, or its version's recorded or amended event is yet to come: kept until then.
        if (waiting is null || waiting.PendingVersion != e.OrderVersion || !await OrderVictimsPart.AllInAsync(session, waiting, part, ct))
        {
            session.Store(part);
            return;
        }
        // The last part: the document read whole, once, to take the version.
        var restitution = (await session.LoadAsync<CaseRestitution>(e.CaseNumber, ct))!;
        await OrderVictimsPart.TakeAsync(session, restitution, part, ct);
        session.Store(restitution);
        await CaseClaims.TellVictimsAsync(session, e.CaseNumber,
            () => CaseClaims.FiguresAsync(session, e.CaseNumber, ct, restitution: restitution), clock.GetUtcNow(), ct);
    }

    /// <summary>A payment to a victim is a document of its own, and only its payee's figures change.</summary>
    public async Task Consume(ConsumeContext<PaymentConfirmed> context)
    {
        var e = context.Message;
        var ct = context.CancellationToken;
        if (e.ClaimId is not { } claimId) return; // paid to another creditor, not a victim
        var payment = new ClaimPayment
        {
            Id = e.PaymentId, CaseNumber = e.CaseNumber, ClaimId = claimId, Amount = e.Amount.Amount, Currency = e.Amount.Currency,
            ConfirmedAt = e.ConfirmedAt,
        };
        session.Store(payment);
        await CaseClaims.TellVictimsAsync(session, e.CaseNumber,
            () => CaseClaims.FiguresAsync(session, e.CaseNumber, ct, forClaims: [claimId], changedPayment: payment), clock.GetUtcNow(), ct,
            onlyClaims: [claimId]);
    }

    public Task Consume(ConsumeContext<PreTrialReturnInstructed> context) => ApplyAsync(context.Message.CaseNumber, context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<PreTrialReturnReceiptRecorded> context) => ApplyAsync(context.Message.CaseNumber, context.Message, context.CancellationToken);

    private async Task ApplyAsync(string caseNumber, object change, CancellationToken ct)
    {
        var restitution = await session.LoadAsync<CaseRestitution>(caseNumber, ct) ?? new CaseRestitution { Id = caseNumber };
        var version = restitution.OrderVersion;
        restitution.Apply(change);
        // A version whose victims are listed apart is taken once they are all in (they may have come first).
        var isOrder = change is RestitutionOrderRecorded or RestitutionOrderAmended;
        if (isOrder && await OrderVictimsPart.AllInAsync(session, restitution, null, ct))
            await OrderVictimsPart.TakeAsync(session, restitution, null, ct);
        session.Store(restitution);
        if (isOrder && restitution.OrderVersion == version) return; // waiting for its victims, or replaced already: nobody's figures change
        var changed = restitution.ClaimsChangedBy(change);
        await CaseClaims.TellVictimsAsync(session, caseNumber,
            () => CaseClaims.FiguresAsync(session, caseNumber, ct, restitution: restitution, forClaims: changed), clock.GetUtcNow(), ct, changed);
    }
}

/// <summary>Keeps the latest trace per case and currency (TraceCompleted); staged like <see cref="CaseInterceptionConsumer"/>.</summary>
public sealed class CaseTracingConsumer(IDocumentSession session, TimeProvider clock) : IConsumer<TraceCompleted>
{
    public async Task Consume(ConsumeContext<TraceCompleted> context)
    {
        var e = context.Message;
        var ct = context.CancellationToken;
        var tracing = await session.LoadAsync<CaseTracing>(e.CaseNumber, ct) ?? new CaseTracing { Id = e.CaseNumber };
        if (!tracing.Apply(e)) return;
        session.Store(tracing);
        await CaseClaims.TellVictimsAsync(session, e.CaseNumber, () => CaseClaims.FiguresAsync(session, e.CaseNumber, ct, tracing: tracing),
            clock.GetUtcNow(), ct);
    }
}

public static class CaseClaims
{
    /// <summary>
    /// The case's figures from this service's projections; a consumer passes the documents it has just changed (staged,
    /// not yet committed) in place of the stored ones. <paramref name="forClaims"/>: the figures are wanted for these
    /// claims only, so only their payments and their amounts in the order are read (null: every claim of the case).
    /// </summary>
    public static async Task<CaseFigures> FiguresAsync(IQuerySession session, string? caseNumber, CancellationToken ct,
        CaseTracing? tracing = null, CaseRestitution? restitution = null, InterceptedHold? changedHold = null,
        IReadOnlyCollection<Guid>? forClaims = null, ClaimPayment? changedPayment = null)
    {
        if (caseNumber is null) return CaseFigures.None;
        tracing ??= await session.LoadAsync<CaseTracing>(caseNumber, ct);
        restitution ??= forClaims is null
            ? await session.LoadAsync<CaseRestitution>(caseNumber, ct)
            : await CaseRestitution.ForClaimsAsync(session, caseNumber, forClaims, ct);
        var payments = (await ClaimPayment.OfCaseAsync(session, caseNumber, forClaims, ct)).ToList();
        if (changedPayment is not null)
        {
            payments.RemoveAll(p => p.Id == changedPayment.Id);
            payments.Add(changedPayment);
        }
        return new CaseFigures(tracing, await CaseInterception.HoldsAsync(session, caseNumber, ct, changedHold), restitution, payments);
    }

    /// <summary>
    /// Stages a notification for each claim of the case whose money trail changed; the figures are read only if it has
    /// claims. <paramref name="onlyClaims"/>: the change can touch these claims' figures alone (a payment: its payee's),
    /// so a case of 100,000 victims is not gone through for each of its payments.
    /// </summary>
    public static async Task TellVictimsAsync(IDocumentSession session, string caseNumber, Func<Task<CaseFigures>> figuresOfCase, DateTimeOffset now,
        CancellationToken ct, IReadOnlyCollection<Guid>? onlyClaims = null)
    {
        if (onlyClaims is { Count: 0 }) return;
        // Before the claims are read too: a claim changed at the same time (approved, linked) takes its turn as well.
        await CaseVictimsTold.TakeTurnAsync(session, caseNumber, now, ct);
        var query = session.Query<Claim>().Where(c => c.CaseNumber == caseNumber && c.CaseConfirmed);
        if (onlyClaims is not null)
        {
            var ids = onlyClaims.ToArray();
            query = query.Where(c => c.Id.IsOneOf(ids));
        }
        var claims = await query.ToListAsync(ct);
        if (claims.Count == 0) return;
        var figures = await figuresOfCase();
        // What each claim was last told, in one read rather than one per claim.
        var told = (await session.LoadManyAsync<NotifiedMoneyTrail>(ct, claims.Select(c => c.Id))).ToDictionary(t => t.Id);
        foreach (var claim in claims)
            await ClaimNotifications.ForMoneyTrailAsync(session, claim, MoneyTrails.Compute(claim, figures), now, ct,
                told.GetValueOrDefault(claim.Id) ?? new NotifiedMoneyTrail { Id = claim.Id });
    }
}

/// <summary>
/// When a case's victims were last told of their figures. Consumers of different events of one case (a trace, a
/// freeze's execution, an order) and a claim's change run side by side, and each computes the figures without the
/// other's uncommitted change: both would commit, and the victims would never be told of the two together. Every
/// telling of a case writes this document under optimistic concurrency first, so of two at once the later conflicts
/// and is retried, and what it reads after this document includes the other's change.
/// </summary>
public sealed class CaseVictimsTold
{
    public string Id { get; set; } = "";
    public DateTimeOffset At { get; set; }

    public static async Task TakeTurnAsync(IDocumentSession session, string caseNumber, DateTimeOffset now, CancellationToken ct)
    {
        if (await session.LoadAsync<CaseVictimsTold>(caseNumber, ct) is { } told)
        {
            told.At = now;
            session.Store(told);
        }
        else session.Insert(new CaseVictimsTold { Id = caseNumber, At = now });
    }
}
