using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Contracts.Restitution;
using AssetRecovery.Freeze.Domain;
using AssetRecovery.Freeze.Features;
using Marten;
using MassTransit;

namespace AssetRecovery.Freeze.Workflow;

/// <summary>
/// Restitution's approved pre-trial return: pay Amount of the freeze out to the victims. Recorded as a release
/// (FreezeReleased, in part or whole; a whole one frees the account for the next queued freeze) whose reason names the
/// return id and whose document is the decision, then answered with FrozenFundsReturned. Idempotent by return id on top
/// of the inbox: a release of the freeze's history already naming this return is answered again and changes nothing.
/// Refused (FrozenFundsReturnRefused, nothing changes) when the freeze is of another case or currency, no longer holds
/// money, or holds less than the return. Staged only: the inbox filter commits.
/// </summary>
public sealed class ReturnFrozenFundsConsumer(IDocumentSession session, FreezeLifecycle lifecycle, TimeProvider clock)
    : IConsumer<ReturnFrozenFunds>
{
    /// <summary>How a release for a pre-trial return starts its reason; the return id makes it findable in the history.</summary>
    public static string ReasonPrefix(Guid returnId) => $"Pre-trial return {returnId} to victims";

    public async Task Consume(ConsumeContext<ReturnFrozenFunds> context)
    {
        var command = context.Message;
        var ct = context.CancellationToken;
        var prefix = ReasonPrefix(command.ReturnId);
        var history = await session.Events.FetchStreamAsync(command.FreezeId, token: ct);
        if (history.Select(e => e.Data).OfType<FreezeReleased>().FirstOrDefault(r => r.Reason.StartsWith(prefix, StringComparison.Ordinal)) is { } done)
        {
            await context.Publish(new FrozenFundsReturned(command.ReturnId, command.FreezeId, command.CaseNumber, done.Released, done.Remaining,
                done.ReleasedAt), ct);
            return;
        }

        try
        {
            var freeze = await session.LoadAsync<Domain.Freeze>(command.FreezeId, ct) ?? throw new ResourceNotFoundException("Freeze", command.FreezeId.ToString());
            if (freeze.CaseNumber != command.CaseNumber)
                throw new DomainRuleViolationException("freeze.other-case", $"Freeze {freeze.Id} belongs to case {freeze.CaseNumber}, not {command.CaseNumber}.");
            if (freeze.Currency != command.Amount.Currency)
                throw new DomainRuleViolationException("freeze.currency-mismatch",
                    $"Freeze {freeze.Id} holds {freeze.Currency}; {command.Amount.Currency} cannot be returned from it.");
            if (!freeze.IsFrozen || freeze.FrozenAmount is not { } frozen)
                throw new DomainRuleViolationException("freeze.not-frozen", $"Freeze {freeze.Id} holds no money ({freeze.Status}).");
            if (command.Amount.Amount > frozen.Amount)
                throw new DomainRuleViolationException("freeze.exceeds-frozen",
                    $"Freeze {freeze.Id} holds {frozen.Amount} {frozen.Currency}; {command.Amount.Amount} cannot be returned from it.");

            var reason = $"{prefix} (decision {command.DecisionReference}, approval {command.ApprovalReference})";
            await lifecycle.ReleaseAsync(session, command.FreezeId, new ReleaseInput(command.Amount.Amount, reason, command.DecisionReference),
                command.RequestedBy, ct);
            await context.Publish(new FrozenFundsReturned(command.ReturnId, command.FreezeId, command.CaseNumber, command.Amount,
                new Money(frozen.Amount - command.Amount.Amount, frozen.Currency), clock.GetUtcNow()), ct);
        }
        catch (Exception refusal) when (RuleOf(refusal) is { } rule)
        {
            await context.Publish(new FrozenFundsReturnRefused(command.ReturnId, command.FreezeId, command.CaseNumber, command.Amount,
                rule, refusal.Message, clock.GetUtcNow()), ct);
        }
    }

    private static string? RuleOf(Exception exception) => exception switch
    {
        DomainRuleViolationException rule => rule.Rule,
        RequestValidationException => "freeze.invalid-return",
        ResourceNotFoundException => "freeze.not-found",
        _ => null,
    };
}
