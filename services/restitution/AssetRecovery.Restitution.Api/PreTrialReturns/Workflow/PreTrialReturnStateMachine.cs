using AssetRecovery.Contracts.Restitution;
using MassTransit;

namespace AssetRecovery.Restitution.PreTrialReturns.Workflow;

/// <summary>Saga state of one pre-trial return, stored in Marten (document schema of the restitution service).</summary>
public sealed class PreTrialReturnSagaState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "";
    public string CaseNumber { get; set; } = "";
    public DateTimeOffset? NoticeEndsAt { get; set; }
    public DateTimeOffset? ReceiptDueAt { get; set; }
    /// <summary>Tokens of the pending scheduled messages; null when none is pending.</summary>
    public Guid? NoticeEndTokenId { get; set; }
    public Guid? ReceiptDeadlineTokenId { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// Owns a pre-trial return's deadlines and its hand-off to the freeze service: the end of the 30-day public notice of a
/// pro rata decision, the freeze paying the money out once approved, and the bank's receipt 3 working days after the
/// instruction. Events come from the return's stream through the relay (possibly duplicated or reordered); what the
/// deadlines find is recorded by restitution (ClosePreTrialReturnNotice, EscalatePreTrialReturnReceipt), which checks it
/// still stands.
/// </summary>
public sealed class PreTrialReturnStateMachine : MassTransitStateMachine<PreTrialReturnSagaState>
{
    public State InNotice { get; private set; } = null!;
    public State AwaitingApproval { get; private set; } = null!;
    public State Executing { get; private set; } = null!;
    public State AwaitingReceipt { get; private set; } = null!;
    public State ReceiptOverdue { get; private set; } = null!;
    public State Completed { get; private set; } = null!;
    public State Refused { get; private set; } = null!;

    public Event<PreTrialReturnDecided> Decided { get; private set; } = null!;
    public Event<PreTrialReturnApproved> Approved { get; private set; } = null!;
    public Event<PreTrialReturnInstructed> Instructed { get; private set; } = null!;
    public Event<PreTrialReturnExecutionRefused> ExecutionRefused { get; private set; } = null!;
    public Event<PreTrialReturnReceiptRecorded> ReceiptRecorded { get; private set; } = null!;
    public Schedule<PreTrialReturnSagaState, PreTrialNoticeEnded> NoticeEnd { get; private set; } = null!;
    public Schedule<PreTrialReturnSagaState, PreTrialReceiptDeadline> ReceiptDeadline { get; private set; } = null!;

    public PreTrialReturnStateMachine(TimeProvider clock)
    {
        _clock = clock;
        InstanceState(x => x.CurrentState);

        Event(() => Decided, x => x.CorrelateById(c => c.Message.ReturnId));
        Event(() => Approved, x => x.CorrelateById(c => c.Message.ReturnId));
        Event(() => Instructed, x => x.CorrelateById(c => c.Message.ReturnId));
        Event(() => ExecutionRefused, x => x.CorrelateById(c => c.Message.ReturnId));
        Event(() => ReceiptRecorded, x => x.CorrelateById(c => c.Message.ReturnId));
        Schedule(() => NoticeEnd, x => x.NoticeEndTokenId, s => s.Received = r => r.CorrelateById(c => c.Message.ReturnId));
        Schedule(() => ReceiptDeadline, x => x.ReceiptDeadlineTokenId, s => s.Received = r => r.CorrelateById(c => c.Message.ReturnId));

        // Each step can start the saga: a later step may overtake the decision on its way here.
        Initially(
            WithNotice(When(Decided, c => c.Message.NoticeEndsAt is not null)),
            When(Decided, c => c.Message.NoticeEndsAt is null).Then(c => Touch(c.Saga, c.Message.CaseNumber)).TransitionTo(AwaitingApproval),
            Execute(When(Approved)),
            AwaitReceipt(When(Instructed)),
            Complete(When(ReceiptRecorded)),
            When(ExecutionRefused).Then(c => Touch(c.Saga, c.Message.CaseNumber)).TransitionTo(Refused));

        // A decision made again before approval replaces the notice (scheduling again cancels the pending one).
        During(InNotice, AwaitingApproval,
            WithNotice(When(Decided, c => c.Message.NoticeEndsAt is not null)),
            When(Decided, c => c.Message.NoticeEndsAt is null)
                .Unschedule(NoticeEnd).Then(c => Touch(c.Saga, c.Message.CaseNumber)).TransitionTo(AwaitingApproval),
            Execute(When(Approved).Unschedule(NoticeEnd)),
            AwaitReceipt(When(Instructed).Unschedule(NoticeEnd)),
            When(ExecutionRefused).Unschedule(NoticeEnd).Then(c => Touch(c.Saga, c.Message.CaseNumber)).TransitionTo(Refused),
            Complete(When(ReceiptRecorded)));

        During(InNotice,
            When(NoticeEnd.Received)
                .Then(c => c.Saga.UpdatedAt = _clock.GetUtcNow())
                .Publish(c => new ClosePreTrialReturnNotice(c.Saga.CorrelationId, c.Saga.NoticeEndsAt!.Value))
                .TransitionTo(AwaitingApproval));
        During(AwaitingApproval, Ignore(NoticeEnd.Received));

        During(Executing,
            AwaitReceipt(When(Instructed)),
            When(ExecutionRefused).Then(c => Touch(c.Saga, c.Message.CaseNumber)).TransitionTo(Refused),
            Complete(When(ReceiptRecorded)),
            Ignore(Decided), Ignore(Approved), Ignore(NoticeEnd.Received));

        During(AwaitingReceipt,
            When(ReceiptDeadline.Received)
                .Then(c => c.Saga.UpdatedAt = _clock.GetUtcNow())
                .Publish(c => new EscalatePreTrialReturnReceipt(c.Saga.CorrelationId, c.Saga.ReceiptDueAt!.Value))
                .TransitionTo(ReceiptOverdue));

        During(AwaitingReceipt, ReceiptOverdue,
            Complete(When(ReceiptRecorded)),
            Ignore(Decided), Ignore(Approved), Ignore(Instructed), Ignore(ExecutionRefused), Ignore(NoticeEnd.Received));
        During(ReceiptOverdue, Ignore(ReceiptDeadline.Received));

        During(Completed, Refused,
            Ignore(Decided), Ignore(Approved), Ignore(Instructed), Ignore(ExecutionRefused), Ignore(ReceiptRecorded),
            Ignore(NoticeEnd.Received), Ignore(ReceiptDeadline.Received));
    }

    private readonly TimeProvider _clock;

    private EventActivityBinder<PreTrialReturnSagaState, PreTrialReturnDecided> WithNotice(EventActivityBinder<PreTrialReturnSagaState, PreTrialReturnDecided> binder) =>
        binder
            .Then(c =>
            {
                c.Saga.NoticeEndsAt = c.Message.NoticeEndsAt;
                Touch(c.Saga, c.Message.CaseNumber);
            })
            .Schedule(NoticeEnd, c => new PreTrialNoticeEnded(c.Message.ReturnId), c => c.Message.NoticeEndsAt!.Value.UtcDateTime)
            .TransitionTo(InNotice);

    /// <summary>Approved: the freeze service pays the money out (idempotent there by the return id).</summary>
    private EventActivityBinder<PreTrialReturnSagaState, PreTrialReturnApproved> Execute(EventActivityBinder<PreTrialReturnSagaState, PreTrialReturnApproved> binder) =>
        binder
            .Then(c => Touch(c.Saga, c.Message.CaseNumber))
            .Publish(c => new ReturnFrozenFunds(c.Message.ReturnId, c.Message.FreezeId, c.Message.CaseNumber, c.Message.Total,
                c.Message.DecisionReference, c.Message.ApprovalReference, c.Message.ApprovedBy))
            .TransitionTo(Executing);

    private EventActivityBinder<PreTrialReturnSagaState, PreTrialReturnInstructed> AwaitReceipt(
        EventActivityBinder<PreTrialReturnSagaState, PreTrialReturnInstructed> binder) =>
        binder
            .Then(c =>
            {
                c.Saga.ReceiptDueAt = c.Message.ReceiptDueAt;
                Touch(c.Saga, c.Message.CaseNumber);
            })
            .Schedule(ReceiptDeadline, c => new PreTrialReceiptDeadline(c.Message.ReturnId), c => c.Message.ReceiptDueAt.UtcDateTime)
            .TransitionTo(AwaitingReceipt);

    private EventActivityBinder<PreTrialReturnSagaState, PreTrialReturnReceiptRecorded> Complete(
        EventActivityBinder<PreTrialReturnSagaState, PreTrialReturnReceiptRecorded> binder) =>
        binder
            .Unschedule(NoticeEnd).Unschedule(ReceiptDeadline)
            .Then(c => Touch(c.Saga, c.Message.CaseNumber))
            .TransitionTo(Completed);

    private void Touch(PreTrialReturnSagaState saga, string caseNumber)
    {
        saga.CaseNumber = caseNumber;
        saga.UpdatedAt = _clock.GetUtcNow();
    }
}
