using AssetRecovery.Contracts.Restitution;
using AssetRecovery.Contracts.Seizure;
using AssetRecovery.Restitution.Claimants;
using AssetRecovery.Restitution.Orders;
using Marten;
using MassTransit;
using Microsoft.Extensions.Options;

namespace AssetRecovery.Restitution.Distribution;

/// <summary>
/// A planned round asks the seizure service to pay its money out of the case's recovery pool. The instruction id is
/// the round id, so a repeated request is acted on once there.
/// </summary>
public sealed class FundRoundConsumer : IConsumer<DistributionRoundFundingRequested>
{
    public Task Consume(ConsumeContext<DistributionRoundFundingRequested> context)
    {
        var round = context.Message;
        return context.Publish(new DebitRecoveryPool(round.RoundId, round.CaseNumber, round.Amount, round.Reference,
            $"Distribution round {round.RoundId} under order version {round.OrderVersion} ({round.Policy})", round.PlannedBy));
    }
}

/// <summary>
/// The pool's answer to a round: funded → the round's payments are instructed to the banks, a page per message
/// (<see cref="InstructRoundPayments"/>); refused → the round is cancelled and its allocations released. Staged only
/// (the inbox commits); a round already settled is left alone.
/// </summary>
public sealed class RoundFundingConsumer(IDocumentSession session, TimeProvider clock, IOptions<DistributionOptions> options) :
    IConsumer<RecoveryPoolDebited>, IConsumer<RecoveryPoolDebitRefused>, IConsumer<InstructRoundPayments>
{
    public async Task Consume(ConsumeContext<RecoveryPoolDebited> context)
    {
        var e = context.Message;
        var stream = await session.Events.FetchForWriting<CaseDistribution>(CaseDistribution.StreamIdFor(e.CaseNumber), context.CancellationToken);
        if (stream.Aggregate?.Rounds.FirstOrDefault(r => r.RoundId == e.InstructionId) is not { Status: RoundStatus.Planned } round) return;
        stream.AppendOne(new DistributionRoundFunded(round.RoundId, e.CaseNumber, e.Amount, clock.GetUtcNow()));
        await context.Publish(new InstructRoundPayments(round.RoundId, e.CaseNumber, 0));
    }

    public async Task Consume(ConsumeContext<InstructRoundPayments> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        var pageSize = options.Value.PaymentsPerMessage;
        var page = await RoundAllocations.PageAsync(session, m.CaseNumber, m.RoundId, m.From, pageSize + 1, ct);
        var now = clock.GetUtcNow();
        var thisPage = page.Take(pageSize).ToList();
        // Creditors' accounts are in the order: read it only for a page that pays one (an order document written before
        // victims were listed apart holds them all: megabytes for a large case).
        var order = thisPage.Any(a => a.ClaimId is null)
            ? await session.LoadAsync<RestitutionOrder>(RestitutionOrder.StreamIdFor(m.CaseNumber), ct)
            : null;
        var creditors = order?.Terms.Creditors.ToDictionary(c => c.CreditorId) ?? [];
        var claimants = (await session.LoadManyAsync<Claimant>(ct, thisPage.Where(a => a.ClaimId is not null).Select(a => a.ClaimId!.Value)))
            .ToDictionary(c => c.Id);
        foreach (var a in thisPage)
        {
            var (bank, account) = a.ClaimId is { } claimId
                ? claimants.TryGetValue(claimId, out var claimant) ? (claimant.BankName, claimant.AccountNumber) : ("", "")
                : creditors.TryGetValue(a.CreditorId!, out var creditor) ? (creditor.BankName, creditor.AccountNumber) : ("", "");
            session.Events.StartStream<Payments.Payment>(a.PaymentId,
                new PaymentInstructed(a.PaymentId, m.RoundId, m.CaseNumber, a.Class, a.ClaimId, a.Payee, a.Amount, account, bank, now));
        }
        if (page.Count > pageSize) await context.Publish(m with { From = m.From + pageSize });
    }

    public async Task Consume(ConsumeContext<RecoveryPoolDebitRefused> context)
    {
        var e = context.Message;
        var stream = await session.Events.FetchForWriting<CaseDistribution>(CaseDistribution.StreamIdFor(e.CaseNumber), context.CancellationToken);
        if (stream.Aggregate?.Rounds.FirstOrDefault(r => r.RoundId == e.InstructionId) is not { Status: RoundStatus.Planned } round) return;
        stream.AppendOne(new DistributionRoundCancelled(round.RoundId, e.CaseNumber,
            $"The recovery pool refused it: {e.Detail} (balance {e.Balance.Amount} {e.Balance.Currency}).", clock.GetUtcNow()));
    }
}

public sealed class DistributionOptions
{
    public const string Section = "Distribution";

    /// <summary>
    /// Payments instructed in one transaction: a round of 100,000 payees in one would hold the shared event store's
    /// high-water mark (and so every service's relay) for minutes and take gigabytes.
    /// </summary>
    public int PaymentsPerMessage { get; set; } = 1000;

    /// <summary>
    /// A round's allocations listed in one event: a round of 100,000 payees in one event was 12 MB that the request
    /// serialised and the case ledger read whole (docs/benchmarks, finding 24). Small enough that a batch of the case
    /// ledger's events touches 5,000 victims, as with <see cref="Orders.OrderOptions.VictimsPerEvent"/> (finding 26).
    /// </summary>
    public int AllocationsPerEvent { get; set; } = 200;
}

/// <summary>
/// Instruct the payments of a funded round from its allocation number <paramref name="From"/> (0-based, in the split's
/// order) on: one page per message, each page sending the next. Internal to the restitution service.
/// </summary>
public sealed record InstructRoundPayments(Guid RoundId, string CaseNumber, int From);
