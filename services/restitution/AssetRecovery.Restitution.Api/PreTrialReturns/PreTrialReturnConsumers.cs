using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Restitution;
using Marten;
using MassTransit;

namespace AssetRecovery.Restitution.PreTrialReturns;

/// <summary>
/// Records on the return what the saga's deadlines found (the notice is over; the bank's receipt is overdue) and what the
/// freeze service answered (paid out → the bank is instructed; refused). Each is a no-op once no longer true.
/// Staged only: the inbox filter commits.
/// </summary>
public sealed class PreTrialReturnConsumer(IDocumentSession session, TimeProvider clock) :
    IConsumer<ClosePreTrialReturnNotice>, IConsumer<EscalatePreTrialReturnReceipt>, IConsumer<FrozenFundsReturned>, IConsumer<FrozenFundsReturnRefused>
{
    public Task Consume(ConsumeContext<ClosePreTrialReturnNotice> context) =>
        ChangeAsync(context.Message.ReturnId, (ret, now) => PreTrialDecisions.CloseNotice(ret, context.Message.NoticeEndsAt, now), context.CancellationToken);

    public Task Consume(ConsumeContext<EscalatePreTrialReturnReceipt> context) =>
        ChangeAsync(context.Message.ReturnId, (ret, now) => PreTrialDecisions.Escalate(ret, context.Message.DueAt, now), context.CancellationToken);

    public Task Consume(ConsumeContext<FrozenFundsReturned> context) =>
        ChangeAsync(context.Message.ReturnId, (ret, now) => PreTrialDecisions.Instruct(ret, context.Message.Amount, context.Message.Remaining, now),
            context.CancellationToken);

    public Task Consume(ConsumeContext<FrozenFundsReturnRefused> context) =>
        ChangeAsync(context.Message.ReturnId, (ret, now) => PreTrialDecisions.Refuse(ret, context.Message.Rule, context.Message.Detail, now),
            context.CancellationToken);

    private async Task ChangeAsync(Guid returnId, Func<PreTrialReturn, DateTimeOffset, ICaseEvent?> decide, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<PreTrialReturn>(returnId, ct);
        if (stream.Aggregate is not { } ret) return;
        if (decide(ret, clock.GetUtcNow()) is { } change) stream.AppendOne(change);
    }
}
