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
        InstanceState(x => x.CurrentState);

        Event(() => Requested, x => x.CorrelateById(c => c.Message.FreezeId));
        Event(() => Activated, x => x.CorrelateById(c => c.Message.FreezeId));
        Event(() => Executed, x => x.CorrelateById(c => c.Message.FreezeId));
        Event(() => RejectedByBank, x => x.CorrelateById(c => c.Message.FreezeId));
        Event(() => Renewed, x => x.CorrelateById(c => c.Message.FreezeId));
        Event(() => Released, x => x.CorrelateById(c => c.Message.FreezeId));
        Event(() => HandedOver, x => x.CorrelateById(c => c.Message.FreezeId));
        Event(() => Lapsed, x => x.CorrelateById(c => c.Message.FreezeId));
        Event(() => Converted, x => x.CorrelateById(c => c.Message.FreezeId));
        Schedule(() => AcknowledgementDeadline, x => x.AcknowledgementTimeoutTokenId, s => s.Received = r => r.CorrelateById(c => c.Message.FreezeId));
        Schedule(() => ExpiryReminder, x => x.ExpiryReminderTokenId, s => s.Received = r => r.CorrelateById(c => c.Message.FreezeId));
        Schedule(() => TermEnd, x => x.TermEndTokenId, s => s.Received = r => r.CorrelateById(c => c.Message.FreezeId));

        Initially(
            When(Requested, c => c.Message.Queued)
                .Then(c => RecordRequest(c.Saga, c.Message, clock))
                .TransitionTo(Queued),
            When(Requested, c => !c.Message.Queued)
                .Then(c => RecordRequest(c.Saga, c.Message, clock))
                .Schedule(AcknowledgementDeadline, c => new BankAcknowledgementDeadline(c.Message.FreezeId),
                    c => c.Message.AcknowledgementDueAt!.Value.UtcDateTime)
                .TransitionTo(AwaitingBankExecution),
            ScheduleTerm(When(Executed).Then(c => RecordExecution(c.Saga, c.Message, clock)), options.Value)
                .TransitionTo(Frozen),
            When(RejectedByBank)
                .Then(c => RecordOutcome(c.Saga, c.Message.CaseNumber, BankExecutionOutcome.Rejected.ToString(), clock))
                .TransitionTo(Rejected));

        During(Queued,
            When(Activated)
                .Then(c =>
                {
                    c.Saga.AcknowledgementDueAt = c.Message.AcknowledgementDueAt;
                    c.Saga.UpdatedAt = clock.GetUtcNow();
                })
                .Schedule(AcknowledgementDeadline, c => new BankAcknowledgementDeadline(c.Message.FreezeId),
                    c => c.Message.AcknowledgementDueAt.UtcDateTime)
                .TransitionTo(AwaitingBankExecution),
            Ignore(Requested));

        During(AwaitingBankExecution, AcknowledgementOverdue,
            ScheduleTerm(When(Executed).Unschedule(AcknowledgementDeadline).Then(c => RecordExecution(c.Saga, c.Message, clock)), options.Value)
                .TransitionTo(Frozen),
            When(RejectedByBank)
                .Unschedule(AcknowledgementDeadline)
                .Then(c => RecordOutcome(c.Saga, c.Message.CaseNumber, BankExecutionOutcome.Rejected.ToString(), clock))
                .TransitionTo(Rejected),
            Ignore(Requested), Ignore(Activated));

        During(AwaitingBankExecution,
            When(AcknowledgementDeadline.Received)
                .Then(c => c.Saga.UpdatedAt = clock.GetUtcNow())
                .Publish(c => new FlagFreezeAcknowledgementOverdue(c.Saga.CorrelationId, c.Saga.AcknowledgementDueAt ?? clock.GetUtcNow()))
                .TransitionTo(AcknowledgementOverdue));

        During(Frozen,
            // Scheduling again replaces (and cancels) the pending reminder and term end.
            ScheduleTerm(When(Renewed).Then(c =>
            {
                c.Saga.ExpiresAt = c.Message.NewExpiresAt;
                c.Saga.UpdatedAt = clock.GetUtcNow();
            }), options.Value),
            When(ExpiryReminder.Received)
                .Publish(c => new IssueFreezeExpiryReminder(c.Saga.CorrelationId)),
            When(TermEnd.Received)
                .Publish(c => new LapseFreeze(c.Saga.CorrelationId)),
            When(Released, c => c.Message.Whole)
                .Unschedule(ExpiryReminder).Unschedule(TermEnd)
                .Then(c => RecordEnd(c.Saga, nameof(FreezeStatus.Released), clock))
                .TransitionTo(Ended),
            When(HandedOver, c => c.Message.Whole)
                .Unschedule(ExpiryReminder).Unschedule(TermEnd)
                .Then(c => RecordEnd(c.Saga, nameof(FreezeStatus.HandedOverToSeizure), clock))
                .TransitionTo(Ended),
            When(Lapsed)
                .Unschedule(ExpiryReminder).Unschedule(TermEnd)
                .Then(c => RecordEnd(c.Saga, nameof(FreezeStatus.Lapsed), clock))
                .TransitionTo(Ended),
            When(Converted)
                .Unschedule(ExpiryReminder).Unschedule(TermEnd)
                .Then(c => RecordEnd(c.Saga, nameof(FreezeStatus.Converted), clock))
                .TransitionTo(Ended),
            Ignore(Released, c => !c.Message.Whole),
            Ignore(HandedOver, c => !c.Message.Whole),
            Ignore(Executed), Ignore(RejectedByBank), Ignore(Activated), Ignore(AcknowledgementDeadline.Received));

        // Once the bank has answered, a request that arrives late only fills in its details (no deadline any more).
        During(Frozen, Rejected, Ended,
            When(Requested).Then(c => RecordRequest(c.Saga, c.Message, clock)));
        // A stop-payment converted while the bank had not answered yet ends there too.
        During(AwaitingBankExecution, AcknowledgementOverdue, Queued,
            When(Converted)
                .Unschedule(AcknowledgementDeadline)
                .Then(c => RecordEnd(c.Saga, nameof(FreezeStatus.Converted), clock))
                .TransitionTo(Ended));
        During(Rejected, Ended,
            Ignore(Executed), Ignore(RejectedByBank), Ignore(Activated), Ignore(Renewed), Ignore(Released), Ignore(HandedOver), Ignore(Lapsed),
            Ignore(Converted),
            Ignore(AcknowledgementDeadline.Received), Ignore(ExpiryReminder.Received), Ignore(TermEnd.Received));
        During(AcknowledgementOverdue, Ignore(AcknowledgementDeadline.Received));
    }

    /// <summary>The reminder and the end of the term the saga now holds (<see cref="FreezeSagaState.ExpiresAt"/>).</summary>
    private EventActivityBinder<FreezeSagaState, T> ScheduleTerm<T>(EventActivityBinder<FreezeSagaState, T> binder, FreezeOptions options)
        where T : class =>
        binder
            .Schedule(ExpiryReminder, c => new FreezeExpiryReminderDue(c.Saga.CorrelationId),
                c => (c.Saga.ExpiresAt!.Value - options.ReminderBeforeExpiry(c.Saga.Kind)).UtcDateTime)
            .Schedule(TermEnd, c => new FreezeTermEnded(c.Saga.CorrelationId), c => c.Saga.ExpiresAt!.Value.UtcDateTime);

    private static void RecordRequest(FreezeSagaState saga, FreezeRequested request, TimeProvider clock)
    {
        saga.CaseNumber = request.CaseNumber;
        saga.Kind = request.Kind;
        saga.AcknowledgementDueAt = request.AcknowledgementDueAt;
        saga.UpdatedAt = clock.GetUtcNow();
    }

    private static void RecordExecution(FreezeSagaState saga, FreezeExecutedByBank executed, TimeProvider clock)
    {
        RecordOutcome(saga, executed.CaseNumber, executed.Outcome.ToString(), clock);
        saga.ExpiresAt = executed.ExpiresAt;
    }

    private static void RecordOutcome(FreezeSagaState saga, string caseNumber, string outcome, TimeProvider clock)
    {
        saga.CaseNumber = caseNumber;
        saga.BankOutcome = outcome;
        saga.UpdatedAt = clock.GetUtcNow();
    }

    private static void RecordEnd(FreezeSagaState saga, string reason, TimeProvider clock)
    {
        saga.EndReason = reason;
        saga.UpdatedAt = clock.GetUtcNow();
    }
}
