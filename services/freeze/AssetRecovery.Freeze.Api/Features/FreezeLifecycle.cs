using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Freeze.Domain;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.Options;

namespace AssetRecovery.Freeze.Features;

/// <summary>
/// Carries out freeze commands on a session: loads the freeze and account streams for writing, applies the rules,
/// appends the events. The caller commits (HTTP handlers with conflict retry, consumers through the inbox filter), so a
/// command's changes to the freeze, the account and a next queued freeze land together or not at all.
/// </summary>
public sealed class FreezeLifecycle(IOptions<FreezeOptions> options, BankAccountRules banks, TimeProvider clock)
{
    public async Task<RequestDecision> RequestAsync(IDocumentSession session, FreezeRequestInput input, Actor actor, CancellationToken ct)
    {
        FreezeDecisions.Validate(input, banks);
        var account = await session.Events.FetchForWriting<AccountHolds>(AccountStreamFor(input), ct);
        return await RequestAsync(session, input, account, actor, ct);
    }

    /// <summary>
    /// Requests on distinct accounts in one session (a bulk batch's transaction): every account is read in one round
    /// trip. Each answer is the request's decision, or the rule that refused it (which appended nothing).
    /// </summary>
    public async Task<IReadOnlyList<(RequestDecision? Decision, DomainRuleViolationException? Refusal)>> RequestManyAsync(IDocumentSession session,
        IReadOnlyList<FreezeRequestInput> inputs, Actor actor, CancellationToken ct)
    {
        foreach (var input in inputs) FreezeDecisions.Validate(input, banks);
        var batch = session.CreateBatchQuery();
        var accounts = inputs.Select(input => batch.Events.FetchForWriting<AccountHolds>(AccountStreamFor(input))).ToList();
        await batch.Execute(ct);
        var answers = new List<(RequestDecision?, DomainRuleViolationException?)>(inputs.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            try
            {
                answers.Add((await RequestAsync(session, inputs[i], await accounts[i], actor, ct), null));
            }
            catch (DomainRuleViolationException refused)
            {
                answers.Add((null, refused));
            }
        }
        return answers;
    }

    private static Guid AccountStreamFor(FreezeRequestInput input) =>
        AccountHolds.StreamIdFor(AccountNumbers.NormalizeBankCode(input.BankCode!), AccountNumbers.Normalize(input.AccountNumber!));

    /// <summary>The rules refuse before anything is appended, so a refused request leaves the session as it was.</summary>
    private async Task<RequestDecision> RequestAsync(IDocumentSession session, FreezeRequestInput input, IEventStream<AccountHolds> account,
        Actor actor, CancellationToken ct)
    {
        var bankCode = AccountNumbers.NormalizeBankCode(input.BankCode!);
        var accountNumber = AccountNumbers.Normalize(input.AccountNumber!);
        var now = clock.GetUtcNow();
        var decision = FreezeDecisions.Request(Guid.CreateVersion7(), input, account.Aggregate, actor, now, options.Value);
        if (decision.IsRepeat) return decision;

        if (decision.ConvertedStopPayment is { } stop)
        {
            var stopStream = await session.Events.FetchForWriting<Domain.Freeze>(stop.FreezeId, ct);
            stopStream.AppendOne(new StopPaymentConverted(stop.FreezeId, stop.CaseNumber, decision.FreezeId, actor, now));
            account.AppendOne(new AccountHoldEnded(bankCode, accountNumber, stop.FreezeId, stop.CaseNumber, nameof(FreezeStatus.Converted), now));
        }
        account.AppendOne(decision.Registration!);
        session.Events.StartStream<Domain.Freeze>(decision.FreezeId, decision.Requested!);
        return decision;
    }

    public Task RecordBankExecutionAsync(IDocumentSession session, Guid freezeId, BankExecutionInput input, Actor actor, CancellationToken ct) =>
        ChangeAsync(session, freezeId, (freeze, now) => FreezeDecisions.RecordBankExecution(freeze, input, actor, now), ct);

    public Task RenewAsync(IDocumentSession session, Guid freezeId, RenewalInput input, Actor actor, CancellationToken ct) =>
        ChangeAsync(session, freezeId, (freeze, now) => FreezeDecisions.Renew(freeze, input, actor, now), ct);

    public Task ReleaseAsync(IDocumentSession session, Guid freezeId, ReleaseInput input, Actor actor, CancellationToken ct) =>
        ChangeAsync(session, freezeId, (freeze, now) => FreezeDecisions.Release(freeze, input, actor, now), ct);

    public Task HandOverToSeizureAsync(IDocumentSession session, Guid freezeId, ReleaseInput input, Actor actor, CancellationToken ct) =>
        ChangeAsync(session, freezeId, (freeze, now) => FreezeDecisions.HandOverToSeizure(freeze, input, actor, now), ct);

    /// <summary>A hand-over the seizure service asked for; a repeat for the same seizure changes nothing.</summary>
    public Task HandOverForSeizureAsync(IDocumentSession session, HandOverFrozenFunds command, CancellationToken ct) =>
        ChangeAsync(session, command.FreezeId, (freeze, now) => FreezeDecisions.HandOverForSeizure(freeze, command.SeizureId,
            command.CaseNumber, command.Amount, command.Reason, command.DocumentReference, command.RequestedBy, now), ct);

    public Task FlagOverdueAsync(IDocumentSession session, Guid freezeId, DateTimeOffset dueAt, CancellationToken ct) =>
        ChangeAsync(session, freezeId, (freeze, now) => FreezeDecisions.FlagOverdue(freeze, dueAt, now), ct, missingIsFine: true);

    public Task RemindAsync(IDocumentSession session, Guid freezeId, DateTimeOffset expiresAt, CancellationToken ct) =>
        ChangeAsync(session, freezeId, (freeze, now) => FreezeDecisions.Remind(freeze, expiresAt, now), ct, missingIsFine: true);

    public Task LapseAsync(IDocumentSession session, Guid freezeId, DateTimeOffset expiresAt, CancellationToken ct) =>
        ChangeAsync(session, freezeId, (freeze, now) => FreezeDecisions.Lapse(freeze, expiresAt, now), ct, missingIsFine: true);

    /// <summary>Applies one decision to one freeze; when it ends the hold, frees the account for the next queued freeze.</summary>
    private async Task ChangeAsync(IDocumentSession session, Guid freezeId, Func<Domain.Freeze, DateTimeOffset, ICaseEvent?> decide,
        CancellationToken ct, bool missingIsFine = false)
    {
        var stream = await session.Events.FetchForWriting<Domain.Freeze>(freezeId, ct);
        if (stream.Aggregate is not { } freeze)
        {
            if (missingIsFine) return;
            throw new ResourceNotFoundException("Freeze", freezeId.ToString());
        }
        var now = clock.GetUtcNow();
        if (decide(freeze, now) is not { } change) return;
        stream.AppendOne(change);
        var after = Apply(freeze, change);
        if (!freeze.IsEnded && after.IsEnded) await EndHoldAsync(session, freeze, after.Status, now, ct);
    }

    private async Task EndHoldAsync(IDocumentSession session, Domain.Freeze freeze, FreezeStatus reason, DateTimeOffset now, CancellationToken ct)
    {
        var account = await session.Events.FetchForWriting<AccountHolds>(AccountHolds.StreamIdFor(freeze.BankCode, freeze.AccountNumber), ct);
        var ended = new AccountHoldEnded(freeze.BankCode, freeze.AccountNumber, freeze.Id, freeze.CaseNumber, reason.ToString(), now);
        account.AppendOne(ended);
        var holds = (account.Aggregate ?? throw new InvalidOperationException($"No account stream for freeze {freeze.Id}.")).Apply(ended);
        if (holds.ActiveHolds.Any() || holds.NextQueued is not { } next) return;

        account.AppendOne(new AccountHoldActivated(freeze.BankCode, freeze.AccountNumber, next.FreezeId, next.CaseNumber, now));
        var nextStream = await session.Events.FetchForWriting<Domain.Freeze>(next.FreezeId, ct);
        nextStream.AppendOne(new FreezeActivated(next.FreezeId, next.CaseNumber, freeze.Id, now + options.Value.AcknowledgementTimeout(next.Kind), now));
    }

    private static Domain.Freeze Apply(Domain.Freeze freeze, ICaseEvent change) => change switch
    {
        FreezeExecutedByBank e => freeze.Apply(e),
        FreezeRejectedByBank e => freeze.Apply(e),
        FreezeReleased e => freeze.Apply(e),
        FreezeHandedOverToSeizure e => freeze.Apply(e),
        FreezeLapsed e => freeze.Apply(e),
        _ => freeze,
    };
}
