using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Freeze.Features;
using Marten;
using MassTransit;

namespace AssetRecovery.Freeze.Workflow;

/// <summary>
/// Records on the freeze what the saga's deadlines found: the bank is overdue, the expiry is near, the term has ended.
/// Each is a no-op once no longer true (answered, renewed, ended). Staged only: the inbox filter commits.
/// </summary>
public sealed class FreezeWorkflowCommandsConsumer(IDocumentSession session, FreezeLifecycle lifecycle) :
    IConsumer<FlagFreezeAcknowledgementOverdue>, IConsumer<IssueFreezeExpiryReminder>, IConsumer<LapseFreeze>
{
    public Task Consume(ConsumeContext<FlagFreezeAcknowledgementOverdue> context) =>
        lifecycle.FlagOverdueAsync(session, context.Message.FreezeId, context.Message.DueAt, context.CancellationToken);

    public Task Consume(ConsumeContext<IssueFreezeExpiryReminder> context) =>
        lifecycle.RemindAsync(session, context.Message.FreezeId, context.Message.ExpiresAt, context.CancellationToken);

    public Task Consume(ConsumeContext<LapseFreeze> context) =>
        lifecycle.LapseAsync(session, context.Message.FreezeId, context.Message.ExpiresAt, context.CancellationToken);
}
