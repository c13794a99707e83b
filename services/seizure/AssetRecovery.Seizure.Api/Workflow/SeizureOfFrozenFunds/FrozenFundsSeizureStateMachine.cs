using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Contracts.Seizure;
using MassTransit;

namespace AssetRecovery.Seizure.Workflow.SeizureOfFrozenFunds;

/// <summary>Saga state of one seizure of frozen money, stored in Marten (document schema of the seizure service).</summary>
public sealed class FrozenFundsSeizureState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "";
    public string CaseNumber { get; set; } = "";
    public Guid FreezeId { get; set; }
    public Money? Amount { get; set; }
    public DateTimeOffset? HandOverRequestedAt { get; set; }
    public string? Outcome { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// Moves seized money from frozen to custody. The request (already reserved against the freeze) asks the freeze service
/// to hand the amount over; the hand-over comes back as FreezeHandedOverToSeizure, which the seizure service records as
/// FrozenFundsSeized (custody and pool credit) or, when refused, as FrozenFundsSeizureRefused (reservation lifted). The
/// saga follows the seizure stream's events, relayed like every other event; the freeze service keys the hand-over by
/// seizure id, so nothing is handed over twice.
/// </summary>
public sealed class FrozenFundsSeizureStateMachine : MassTransitStateMachine<FrozenFundsSeizureState>
{
    public State AwaitingHandOver { get; private set; } = null!;
    public State Seized { get; private set; } = null!;
    public State Refused { get; private set; } = null!;

    public Event<FrozenFundsSeizureRequested> Requested { get; private set; } = null!;
    public Event<FrozenFundsSeized> TakenIntoCustody { get; private set; } = null!;
    public Event<FrozenFundsSeizureRefused> HandOverRefused { get; private set; } = null!;

    public FrozenFundsSeizureStateMachine(TimeProvider clock)
    {
        InstanceState(x => x.CurrentState);

        Event(() => Requested, x => x.CorrelateById(c => c.Message.SeizureId));
        // A hand-over made directly at the freeze service is a seizure without a saga: nothing to follow.
        Event(() => TakenIntoCustody, x => { x.CorrelateById(c => c.Message.SeizureId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => HandOverRefused, x => { x.CorrelateById(c => c.Message.SeizureId); x.OnMissingInstance(m => m.Fault()); });

        Initially(
            When(Requested)
                .Then(c =>
                {
                    c.Saga.CaseNumber = c.Message.CaseNumber;
                    c.Saga.FreezeId = c.Message.FreezeId;
                    c.Saga.Amount = c.Message.Amount;
                    c.Saga.HandOverRequestedAt = c.Saga.UpdatedAt = clock.GetUtcNow();
                })
                .Publish(c => new HandOverFrozenFunds(c.Message.SeizureId, c.Message.FreezeId, c.Message.CaseNumber, c.Message.Amount,
                    c.Message.Reason, c.Message.LegalDocumentReference, c.Message.RequestedBy))
                .TransitionTo(AwaitingHandOver));

        During(AwaitingHandOver,
            When(TakenIntoCustody)
                .Then(c => Finish(c.Saga, nameof(Seized), clock))
                .TransitionTo(Seized),
            When(HandOverRefused)
                .Then(c => Finish(c.Saga, $"{nameof(Refused)}: {c.Message.Rule}", clock))
                .TransitionTo(Refused),
            Ignore(Requested));

        During(Seized, Refused, Ignore(Requested), Ignore(TakenIntoCustody), Ignore(HandOverRefused));
    }

    private static void Finish(FrozenFundsSeizureState saga, string outcome, TimeProvider clock)
    {
        saga.Outcome = outcome;
        saga.UpdatedAt = clock.GetUtcNow();
    }
}
