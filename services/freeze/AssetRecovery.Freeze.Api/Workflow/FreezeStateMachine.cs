using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Freeze.Domain;
using MassTransit;
using Microsoft.Extensions.Options;

namespace AssetRecovery.Freeze.Workflow;

/// <summary>Saga state of one freeze, stored in Marten (document schema of the freeze service).</summary>
public sealed class FreezeSagaState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "";
    public string CaseNumber { get; set; } = "";
    public FreezeKind Kind { get; set; }
    public DateTimeOffset? AcknowledgementDueAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    /// <summary>Tokens of the pending scheduled messages; null when none is pending.</summary>
    public Guid? AcknowledgementTimeoutTokenId { get; set; }
    public Guid? ExpiryReminderTokenId { get; set; }
    public Guid? TermEndTokenId { get; set; }
    public string? BankOutcome { get; set; }
    public string? EndReason { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// Owns a freeze's deadlines: the bank's acknowledgement, the expiry reminder and the end of the term (renewals move
/// both). Events come from the freeze stream through the relay, possibly duplicated or out of order: a result may
/// overtake its request. What the deadlines find is recorded by the freeze service (commands below).
/// </summary>
public sealed class FreezeStateMachine : MassTransitStateMachine<FreezeSagaState>
{
    public State Queued { get; private set; } = null!;
    public State AwaitingBankExecution { get; private set; } = null!;
    public State AcknowledgementOverdue { get; private set; } = null!;
    public State Frozen { get; private set; } = null!;
    public State Rejected { get; private set; } = null!;
    public State Ended { get; private set; } = null!;

    public Event<FreezeRequested> Requested { get; private set; } = null!;
    public Event<FreezeActivated> Activated { get; private set; } = null!;
    public Event<FreezeExecutedByBank> Executed { get; private set; } = null!;
    public Event<FreezeRejectedByBank> RejectedByBank { get; private set; } = null!;
    public Event<FreezeRenewed> Renewed { get; private set; } = null!;
    public Event<FreezeReleased> Released { get; private set; } = null!;
    public Event<FreezeHandedOverToSeizure> HandedOver { get; private set; } = null!;
    public Event<FreezeLapsed> Lapsed { get; private set; } = null!;
    public Event<StopPaymentConverted> Converted { get; private set; } = null!;
    public Schedule<FreezeSagaState, BankAcknowledgementDeadline> AcknowledgementDeadline { get; private set; } = null!;
    public Schedule<FreezeSagaState, FreezeExpiryReminderDue> ExpiryReminder { get; private set; } = null!;
    public Schedule<FreezeSagaState, FreezeTermEnded> TermEnd { get; private set; } = null!;

    public FreezeStateMachine(TimeProvider clock, IOptions<FreezeOptions> options)
    {
        _clock = clock;
        _options = options.Value;
        InstanceState(x => x.CurrentState);

        Event(() => Requested, x => x.CorrelateById(c => c.Message.FreezeId));
        Event(() => Executed, x => x.CorrelateById(c => c.Message.FreezeId));
        Event(() => RejectedByBank, x => x.CorrelateById(c => c.Message.FreezeId));
        // These never create a saga: one that arrives before the request is retried until the saga exists.
        Event(() => Activated, x => { x.CorrelateById(c => c.Message.FreezeId); x.OnMissingInstance(m => m.Fault()); });
        Event(() => Renewed, x => { x.CorrelateById(c => c.Message.FreezeId); x.OnMissingInstance(m => m.Fault()); });
        Event(() => Released, x => { x.CorrelateById(c => c.Message.FreezeId); x.OnMissingInstance(m => m.Fault()); });
        Event(() => HandedOver, x => { x.CorrelateById(c => c.Message.FreezeId); x.OnMissingInstance(m => m.Fault()); });
        Event(() => Lapsed, x => { x.CorrelateById(c => c.Message.FreezeId); x.OnMissingInstance(m => m.Fault()); });
        Event(() => Converted, x => { x.CorrelateById(c => c.Message.FreezeId); x.OnMissingInstance(m => m.Fault()); });
        Schedule(() => AcknowledgementDeadline, x => x.AcknowledgementTimeoutTokenId, s => s.Received = r => r.CorrelateById(c => c.Message.FreezeId));
        Schedule(() => ExpiryReminder, x => x.ExpiryReminderTokenId, s => s.Received = r => r.CorrelateById(c => c.Message.FreezeId));
        Schedule(() => TermEnd, x => x.TermEndTokenId, s => s.Received = r => r.CorrelateById(c => c.Message.FreezeId));

        Initially(
            When(Requested, c => c.Message.Queued)
                .Then(c => RecordRequest(c.Saga, c.Message))
                .TransitionTo(Queued),
            When(Requested, c => !c.Message.Queued)
                .Then(c => RecordRequest(c.Saga, c.Message))
                .Schedule(AcknowledgementDeadline, c => new BankAcknowledgementDeadline(c.Message.FreezeId),
                    c => c.Message.AcknowledgementDueAt!.Value.UtcDateTime)
                .TransitionTo(AwaitingBankExecution),
            BankExecuted(),
            BankRejected());

        // The bank's answer may reach the saga before the request or the activation it answers.
        During(Queued, AwaitingBankExecution, AcknowledgementOverdue, BankExecuted(), BankRejected());

        During(Queued,
            When(Activated)
                .Then(c =>
                {
                    c.Saga.AcknowledgementDueAt = c.Message.AcknowledgementDueAt;
                    c.Saga.UpdatedAt = _clock.GetUtcNow();
                })
                .Schedule(AcknowledgementDeadline, c => new BankAcknowledgementDeadline(c.Message.FreezeId),
                    c => c.Message.AcknowledgementDueAt.UtcDateTime)
                .TransitionTo(AwaitingBankExecution),
            Ignore(Requested));

        During(AwaitingBankExecution, AcknowledgementOverdue, Ignore(Requested), Ignore(Activated));

        During(AwaitingBankExecution,
            When(AcknowledgementDeadline.Received)
                .Then(c => c.Saga.UpdatedAt = _clock.GetUtcNow())
                .Publish(c => new FlagFreezeAcknowledgementOverdue(c.Saga.CorrelationId, c.Saga.AcknowledgementDueAt ?? _clock.GetUtcNow()))
                .TransitionTo(AcknowledgementOverdue));
        During(AcknowledgementOverdue, Ignore(AcknowledgementDeadline.Received));

        // A renewal the saga hears of before the execution it follows: remember the later expiry for when it comes.
        During(Queued, AwaitingBankExecution, AcknowledgementOverdue,
            When(Renewed).Then(c => c.Saga.ExpiresAt = Later(c.Saga.ExpiresAt, c.Message.NewExpiresAt)));

        During(Frozen,
            // Scheduling again replaces (and cancels) the pending reminder and term end.
            ScheduleTerm(When(Renewed).Then(c =>
            {
                c.Saga.ExpiresAt = c.Message.NewExpiresAt;
                c.Saga.UpdatedAt = _clock.GetUtcNow();
            })),
            When(ExpiryReminder.Received)
                .Publish(c => new IssueFreezeExpiryReminder(c.Saga.CorrelationId, c.Saga.ExpiresAt!.Value)),
            When(TermEnd.Received)
                .Publish(c => new LapseFreeze(c.Saga.CorrelationId, c.Saga.ExpiresAt!.Value)),
            // A request the bank's answer overtook: its kind decides the reminder, so the term is scheduled again.
            ScheduleTerm(When(Requested).Then(c => RecordRequest(c.Saga, c.Message))),
            Ignore(Executed), Ignore(RejectedByBank), Ignore(Activated), Ignore(AcknowledgementDeadline.Received));

        // The hold ends, whether or not the saga has caught up with the execution yet.
        During(Queued, AwaitingBankExecution, AcknowledgementOverdue, Frozen,
            Ends(When(Released, c => c.Message.Whole), FreezeStatus.Released),
            Ends(When(HandedOver, c => c.Message.Whole), FreezeStatus.HandedOverToSeizure),
            Ends(When(Lapsed), FreezeStatus.Lapsed),
            Ends(When(Converted), FreezeStatus.Converted),
            Ignore(Released, c => !c.Message.Whole),
            Ignore(HandedOver, c => !c.Message.Whole));

        During(Rejected, Ended,
            When(Requested).Then(c => RecordRequest(c.Saga, c.Message)),
            Ignore(Executed), Ignore(RejectedByBank), Ignore(Activated), Ignore(Renewed), Ignore(Released), Ignore(HandedOver), Ignore(Lapsed),
            Ignore(Converted), Ignore(AcknowledgementDeadline.Received), Ignore(ExpiryReminder.Received), Ignore(TermEnd.Received));
    }

    private readonly TimeProvider _clock;
    private readonly FreezeOptions _options;

    private EventActivityBinder<FreezeSagaState, FreezeExecutedByBank> BankExecuted() =>
        ScheduleTerm(When(Executed)
                .Unschedule(AcknowledgementDeadline)
                .Then(c =>
                {
                    RecordOutcome(c.Saga, c.Message.CaseNumber, c.Message.Outcome.ToString());
                    c.Saga.ExpiresAt = Later(c.Saga.ExpiresAt, c.Message.ExpiresAt);
                }))
            .TransitionTo(Frozen);

    private EventActivityBinder<FreezeSagaState, FreezeRejectedByBank> BankRejected() =>
        When(RejectedByBank)
            .Unschedule(AcknowledgementDeadline)
            .Then(c => RecordOutcome(c.Saga, c.Message.CaseNumber, BankExecutionOutcome.Rejected.ToString()))
            .TransitionTo(Rejected);

    private EventActivityBinder<FreezeSagaState, T> Ends<T>(EventActivityBinder<FreezeSagaState, T> binder, FreezeStatus reason) where T : class =>
        binder
            .Unschedule(AcknowledgementDeadline).Unschedule(ExpiryReminder).Unschedule(TermEnd)
            .Then(c =>
            {
                c.Saga.EndReason = reason.ToString();
                c.Saga.UpdatedAt = _clock.GetUtcNow();
            })
            .TransitionTo(Ended);

    /// <summary>The reminder and the end of the term the saga now holds (<see cref="FreezeSagaState.ExpiresAt"/>).</summary>
    private EventActivityBinder<FreezeSagaState, T> ScheduleTerm<T>(EventActivityBinder<FreezeSagaState, T> binder) where T : class =>
        binder
            .Schedule(ExpiryReminder, c => new FreezeExpiryReminderDue(c.Saga.CorrelationId),
                c => (c.Saga.ExpiresAt!.Value - _options.ReminderBeforeExpiry(c.Saga.Kind)).UtcDateTime)
            .Schedule(TermEnd, c => new FreezeTermEnded(c.Saga.CorrelationId), c => c.Saga.ExpiresAt!.Value.UtcDateTime);

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private void RecordRequest(FreezeSagaState saga, FreezeRequested request)
    {
        saga.CaseNumber = request.CaseNumber;
        saga.Kind = request.Kind;
        saga.AcknowledgementDueAt ??= request.AcknowledgementDueAt;
        saga.UpdatedAt = _clock.GetUtcNow();
    }

    private void RecordOutcome(FreezeSagaState saga, string caseNumber, string outcome)
    {
        saga.CaseNumber = caseNumber;
        saga.BankOutcome = outcome;
        saga.UpdatedAt = _clock.GetUtcNow();
    }
}
