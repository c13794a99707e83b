using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Restitution;
using AssetRecovery.Restitution.Distribution;
using AssetRecovery.Restitution.Payments;
using Marten;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AssetRecovery.Restitution.Workflow.CaseRecovery;

/// <summary>
/// Looks at a case for the recovery saga: closes it when every payee of the order is paid in full (all allocated and
/// every payment confirmed), or, with auto-distribution on and no round under way, starts a round with the money the
/// pool holds (up to what is still due). Staged on the case's distribution stream, so a duplicate review conflicts and,
/// retried, finds the work done.
/// </summary>
public sealed class ReviewCaseRecoveryConsumer(IDocumentSession session, NpgsqlDataSource database, TimeProvider clock,
    IOptions<DistributionOptions> options) : IConsumer<ReviewCaseRecovery>
{
    /// <summary>Rounds the saga starts are recorded as the system's.</summary>
    public static readonly Actor RecoverySaga = new("system:case-recovery", "Case recovery saga", "System");

    /// <summary>
    /// One status at a time, each an equality the case's (case, status) index answers at its first row: "not confirmed"
    /// read every confirmed payment of the case before the first unconfirmed one, 70 ms at the end of a 100,000-payment
    /// round, for each of its confirmations (docs/benchmarks, finding 31).
    /// </summary>
    private async Task<bool> AnyUnconfirmedAsync(string caseNumber, CancellationToken ct)
    {
        foreach (var status in Enum.GetValues<PaymentStatus>().Where(s => s != PaymentStatus.Confirmed))
            if (await session.Query<Payment>().AnyAsync(p => p.CaseNumber == caseNumber && p.Status == status, ct))
                return true;
        return false;
    }

    public async Task Consume(ConsumeContext<ReviewCaseRecovery> context)
    {
        var caseNumber = context.Message.CaseNumber;
        var ct = context.CancellationToken;
        // Cheap checks first: every payment confirmed asks for a review, and the order of a large case (with what its
        // victims are owed) is megabytes to read.
        var stream = await session.Events.FetchForWriting<CaseDistribution>(CaseDistribution.StreamIdFor(caseNumber), ct);
        var distribution = stream.Aggregate;
        if (distribution?.ClosedAt is not null || distribution?.Rounds.Any(r => r.Status == RoundStatus.Planned) == true) return;
        var mayDistribute = distribution?.AutoDistribute == true && context.Message.PoolBalance.Any(b => b.Amount > 0m);
        // Without a round to start, or after a confirmation (which brings no money and changes nobody's due), the review
        // goes on only if the case may close, and a payment not yet confirmed rules that out, as does a funded allocation
        // whose payment is not instructed yet (the review that follows a round's funding). One that goes on looks at
        // everything, so money a cancelled round left in the pool is distributed then at the latest.
        var funded = distribution?.Rounds.Where(r => r.Status == RoundStatus.Funded).Sum(r => r.AllocationCount) ?? 0;
        if ((!mayDistribute || context.Message.ClosingOnly) && (distribution is null
                               || await AnyUnconfirmedAsync(caseNumber, ct)
                               || await session.Query<Payment>().CountAsync(p => p.CaseNumber == caseNumber, ct) != funded))
            return;
        if (await OrderForRound.ReadAsync(database, session, caseNumber, ct) is not { } order) return;

        var currency = order.Currency;
        var allocated = await RoundAllocations.AllocatedMinorAsync(session, distribution, currency, ct);
        var outstanding = RoundPlanning.Payees(order, allocated).Sum(p => p.OutstandingMinor);
        var now = clock.GetUtcNow();
        var pool = context.Message.PoolBalance.Where(b => b.Currency == currency).Sum(b => b.Amount);

        if (outstanding == 0 && distribution is not null)
        {
            var payments = await session.Query<Payment>().Where(p => p.CaseNumber == caseNumber).ToListAsync(ct);
            if (payments.Count == funded && payments.All(p => p.Status == PaymentStatus.Confirmed))
                stream.AppendOne(new CaseRecoveryClosed(caseNumber, "Every victim and creditor of the order was paid in full.",
                    [new Money(payments.Sum(p => p.Amount.Amount), currency)], [new Money(pool, currency)], now));
            return;
        }
        if (!mayDistribute || outstanding == 0 || pool <= 0m) return;
        var amount = Math.Min(pool, Currencies.FromMinorUnits(outstanding, currency));
        var round = RoundPlanning.Plan(Guid.CreateVersion7(now), order, distribution, allocated, amount, $"AUTO-{now:yyyyMMddHHmmss}", RecoverySaga, now);
        stream.AppendMany(RoundPlanning.Appended(round, options.Value.AllocationsPerEvent));
    }
}
