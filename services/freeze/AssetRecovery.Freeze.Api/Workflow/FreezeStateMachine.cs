using AssetRecovery.Contracts.Freeze;
using MassTransit;

namespace AssetRecovery.Freeze.Workflow;

/// <summary>Saga state of one freeze, stored in Marten (document schema of the freeze service).</summary>
public sealed class FreezeSagaState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "";
    public string CaseNumber { get; set; } = "";
    public FreezeKind Kind { get; set; }
    public DateTimeOffset? AcknowledgementDueAt { get; set; }
    /// <summary>Token of the scheduled "acknowledgement overdue" message while it is pending.</summary>
    public Guid? AcknowledgementTimeoutTokenId { get; set; }
    public string? BankOutcome { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// Carries a freeze from request to the bank's answer and owns the acknowledgement deadline. Events come from the
/// freeze stream through the relay, possibly duplicated or out of order: a result may arrive before the request.
/// </summary>
public sealed class FreezeStateMachine : MassTransitStateMachine<FreezeSagaState>
{
    public State AwaitingBankExecution { get; private set; } = null!;
    public State AcknowledgementOverdue { get; private set; } = null!;
    public State Frozen { get; private set; } = null!;
    public State Rejected { get; private set; } = null!;

    public Event<FreezeRequested> Requested { get; private set; } = null!;
    public Event<FreezeExecutedByBank> Executed { get; private set; } = null!;
    public Event<FreezeRejectedByBank> RejectedByBank { get; private set; } = null!;
    public Schedule<FreezeSagaState, BankAcknowledgementDeadline> AcknowledgementDeadline { get; private set; } = null!;

    public FreezeStateMachine(TimeProvider clock)
    {
        InstanceState(x => x.CurrentState);

        Event(() => Requested, x => x.CorrelateById(c => c.Message.FreezeId));
        Event(() => Executed, x => x.CorrelateById(c => c.Message.FreezeId));
        Event(() => RejectedByBank, x => x.CorrelateById(c => c.Message.FreezeId));
        Schedule(() => AcknowledgementDeadline, x => x.AcknowledgementTimeoutTokenId,
            s => s.Received = r => r.CorrelateById(c => c.Message.FreezeId));

        Initially(
            When(Requested)
                .Then(c => RecordRequest(c.Saga, c.Message, clock))
                .Schedule(AcknowledgementDeadline,
                    c => new BankAcknowledgementDeadline(c.Message.FreezeId),
                    c => c.Message.AcknowledgementDueAt.UtcDateTime)
                .TransitionTo(AwaitingBankExecution),
            When(Executed)
                .Then(c => RecordOutcome(c.Saga, c.Message.CaseNumber, c.Message.Outcome.ToString(), clock))
                .TransitionTo(Frozen),
            When(RejectedByBank)
                .Then(c => RecordOutcome(c.Saga, c.Message.CaseNumber, BankExecutionOutcome.Rejected.ToString(), clock))
                .TransitionTo(Rejected));

        During(AwaitingBankExecution, AcknowledgementOverdue,
            When(Executed)
                .Unschedule(AcknowledgementDeadline)
                .Then(c => RecordOutcome(c.Saga, c.Message.CaseNumber, c.Message.Outcome.ToString(), clock))
                .TransitionTo(Frozen),
            When(RejectedByBank)
                .Unschedule(AcknowledgementDeadline)
                .Then(c => RecordOutcome(c.Saga, c.Message.CaseNumber, BankExecutionOutcome.Rejected.ToString(), clock))
                .TransitionTo(Rejected),
            Ignore(Requested));

        During(AwaitingBankExecution,
            When(AcknowledgementDeadline.Received)
                .Then(c => c.Saga.UpdatedAt = clock.GetUtcNow())
                .Publish(c => new FlagFreezeAcknowledgementOverdue(c.Saga.CorrelationId, c.Saga.AcknowledgementDueAt ?? clock.GetUtcNow()))
                .TransitionTo(AcknowledgementOverdue));

        // Once the bank has answered, a request that arrives late only fills in its details (no deadline any more);
        // duplicates change nothing.
        During(Frozen, Rejected,
            When(Requested).Then(c => RecordRequest(c.Saga, c.Message, clock)),
            Ignore(Executed), Ignore(RejectedByBank), Ignore(AcknowledgementDeadline.Received));
        During(AcknowledgementOverdue, Ignore(AcknowledgementDeadline.Received));
    }

    private static void RecordRequest(FreezeSagaState saga, FreezeRequested request, TimeProvider clock)
    {
        saga.CaseNumber = request.CaseNumber;
        saga.Kind = request.Kind;
        saga.AcknowledgementDueAt = request.AcknowledgementDueAt;
        saga.UpdatedAt = clock.GetUtcNow();
    }

    private static void RecordOutcome(FreezeSagaState saga, string caseNumber, string outcome, TimeProvider clock)
    {
        saga.CaseNumber = caseNumber;
        saga.BankOutcome = outcome;
        saga.UpdatedAt = clock.GetUtcNow();
    }
}
