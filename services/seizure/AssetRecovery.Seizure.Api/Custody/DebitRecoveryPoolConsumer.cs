using AssetRecovery.Contracts.Seizure;
using AssetRecovery.Seizure.Features;
using Marten;
using MassTransit;

namespace AssetRecovery.Seizure.Custody;

/// <summary>
/// The only way money leaves a recovery pool: restitution's DebitRecoveryPool command over the bus (no HTTP endpoint, so
/// no investigator or court token can debit). Debited, or refused with RecoveryPoolDebitRefused when the balance does not
/// cover it; idempotent by instruction id. Staged only: the inbox filter commits.
/// </summary>
public sealed class DebitRecoveryPoolConsumer(IDocumentSession session, SeizureLifecycle lifecycle, ILogger<DebitRecoveryPoolConsumer> logger)
    : IConsumer<DebitRecoveryPool>
{
    public Task Consume(ConsumeContext<DebitRecoveryPool> context)
    {
        if (string.IsNullOrWhiteSpace(context.Message.CaseNumber) || context.Message.CaseNumber.Length > 64)
        {
            // No case, no pool to record the refusal on.
            logger.LogWarning("Dropped pool debit instruction {InstructionId}: it names no valid case", context.Message.InstructionId);
            return Task.CompletedTask;
        }
        return lifecycle.DebitPoolAsync(session, context.Message, context.CancellationToken);
    }
}
