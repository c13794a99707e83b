using AssetRecovery.Contracts.Restitution;
using AssetRecovery.Contracts.Seizure;
using AssetRecovery.Restitution.Claimants;
using AssetRecovery.Restitution.Orders;
using Marten;
using MassTransit;

namespace AssetRecovery.Restitution.Distribution;

/// <summary>
/// A planned round asks the seizure service to pay its money out of the case's recovery pool. The instruction id is
/// the round id, so a repeated request is acted on once there.
/// </summary>
public sealed class FundRoundConsumer : IConsumer<DistributionRoundPlanned>
{
    public Task Consume(ConsumeContext<DistributionRoundPlanned> context)
    {
        var round = context.Message;
        return context.Publish(new DebitRecoveryPool(round.RoundId, round.CaseNumber, round.Distributed, round.Reference,
            $"Distribution round {round.RoundId} under order version {round.OrderVersion} ({round.Policy})", round.PlannedBy));
    }
}

/// <summary>
/// The pool's answer to a round: funded → the round's payments are instructed to the banks; refused → the round is
/// cancelled and its allocations released. Staged only (the inbox commits); a round already settled is left alone.
/// </summary>
public sealed class RoundFundingConsumer(IDocumentSession session, TimeProvider clock) :
    IConsumer<RecoveryPoolDebited>, IConsumer<RecoveryPoolDebitRefused>
{
    public async Task Consume(ConsumeContext<RecoveryPoolDebited> context)
    {
        var e = context.Message;
        var ct = context.CancellationToken;
        var stream = await session.Events.FetchForWriting<CaseDistribution>(CaseDistribution.StreamIdFor(e.CaseNumber), ct);
        if (stream.Aggregate?.Rounds.FirstOrDefault(r => r.RoundId == e.InstructionId) is not { Status: RoundStatus.Planned } round) return;
        var now = clock.GetUtcNow();
        stream.AppendOne(new DistributionRoundFunded(round.RoundId, e.CaseNumber, e.Amount, now));

        var order = await session.LoadAsync<RestitutionOrder>(RestitutionOrder.StreamIdFor(e.CaseNumber), ct);
        var creditors = order?.Terms.Creditors.ToDictionary(c => c.CreditorId) ?? [];
        var claimants = (await session.LoadManyAsync<Claimant>(ct, round.Allocations.Where(a => a.ClaimId is not null).Select(a => a.ClaimId!.Value)))
            .ToDictionary(c => c.Id);
        foreach (var a in round.Allocations)
        {
            var (bank, account) = a.ClaimId is { } claimId
                ? claimants.TryGetValue(claimId, out var claimant) ? (claimant.BankName, claimant.AccountNumber) : ("", "")
                : creditors.TryGetValue(a.CreditorId!, out var creditor) ? (creditor.BankName, creditor.AccountNumber) : ("", "");
            session.Events.StartStream<Payments.Payment>(a.PaymentId,
                new PaymentInstructed(a.PaymentId, round.RoundId, e.CaseNumber, a.Class, a.ClaimId, a.Payee, a.Amount, account, bank, now));
        }
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
