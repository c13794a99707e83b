using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Freeze.Features;
using Marten;
using MassTransit;

namespace AssetRecovery.Freeze.Workflow;

/// <summary>
/// The seizure saga's request to hand frozen money over to custody. Done: FreezeHandedOverToSeizure on the freeze stream
/// (relayed back to seizure). Not allowed: FrozenFundsHandOverRefused, and nothing changes here. Idempotent by seizure
/// id (the freeze remembers the seizures it handed over for) on top of the inbox. Staged only: the inbox filter commits.
/// </summary>
public sealed class HandOverFrozenFundsConsumer(IDocumentSession session, FreezeLifecycle lifecycle, TimeProvider clock)
    : IConsumer<HandOverFrozenFunds>
{
    public async Task Consume(ConsumeContext<HandOverFrozenFunds> context)
    {
        var command = context.Message;
        try
        {
            await lifecycle.HandOverForSeizureAsync(session, command, context.CancellationToken);
        }
        catch (Exception refusal) when (RuleOf(refusal) is { } rule)
        {
            await context.Publish(new FrozenFundsHandOverRefused(command.SeizureId, command.FreezeId, command.CaseNumber, command.Amount,
                rule, refusal.Message, clock.GetUtcNow()), context.CancellationToken);
        }
    }

    private static string? RuleOf(Exception exception) => exception switch
    {
        DomainRuleViolationException rule => rule.Rule,
        RequestValidationException => "freeze.invalid-hand-over",
        ResourceNotFoundException => "freeze.not-found",
        _ => null,
    };
}
