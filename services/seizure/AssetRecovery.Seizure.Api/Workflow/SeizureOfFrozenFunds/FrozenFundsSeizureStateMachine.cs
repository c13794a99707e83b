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
    public string Reason { get; set; } = "";
    public string LegalDocumentReference { get; set; } = "";
    public Actor? RequestedBy { get; set; }
    public DateTimeOffset? HandOverRequestedAt { get; set; }
    public int HandOverRequests { get; set; }
    public Guid? HandOverDeadlineTokenId { get; set; }
    public string? Outcome { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// Moves seized money from frozen to custody. The request (already reserved against the freeze) asks the freeze service
/// to hand the amount over; the hand-over comes back as FreezeHandedOverToSeizure, which the seizure service records as
/// FrozenFundsSeized (custody and pool credit) or, when refused, as FrozenFundsSeizureRefused (reservation lifted). The
/// saga follows the seizure stream's events, relayed like every other event; the freeze service keys the hand-over by
/// seizure id, so nothing is handed over twice. Without an answer in time the request is sent again (the freeze
/// service may have been down and its queue purged, or the request parked); after the last one the saga is Stalled,
/// shown on the seizure for an investigator to follow up, and a late answer still completes it.
/// </summary>
public sealed class SeizureWorkflowOptions
{
    public const string Section = "Seizure";
    /// <summary>How long the freeze service has to answer a hand-over request before it is sent again.</summary>
    public TimeSpan HandOverAnswerTimeout { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>Hand-over requests sent in all before the seizure is Stalled.</summary>
    public int MaxHandOverRequests { get; set; } = 3;
}

public sealed class FrozenFundsSeizureStateMachine : MassTransitStateMachine<FrozenFundsSeizureState>
{
    public State AwaitingHandOver { get; private set; } = null!;
    public State Seized { get; private set; } = null!;
    public State Refused { get; private set; } = null!;
    public State Stalled { get; private set; } = null!;

    public Event<FrozenFundsSeizureRequested> Requested { get; private set; } = null!;
    public Event<FrozenFundsSeized> TakenIntoCustody { get; private set; } = null!;
    public Event<FrozenFundsSeizureRefused> HandOverRefused { get; private set; } = null!;
    public Schedule<FrozenFundsSeizureState, FrozenFundsHandOverDue> HandOverDeadline { get; private set; } = null!;

    public FrozenFundsSeizureStateMachine(TimeProvider clock, Microsoft.Extensions.Options.IOptions<SeizureWorkflowOptions> options)
    {
        var timeout = options.Value.HandOverAnswerTimeout;
        var maxRequests = options.Value.MaxHandOverRequests;
        InstanceState(x => x.CurrentState);

        Event(() => Requested, x => x.CorrelateById(c => c.Message.SeizureId));
        // A hand-over made directly at the freeze service is a seizure without a saga: nothing to follow.
        Event(() => TakenIntoCustody, x => { x.CorrelateById(c => c.Message.SeizureId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => HandOverRefused, x => { x.CorrelateById(c => c.Message.SeizureId); x.OnMissingInstance(m => m.Fault()); });
        Schedule(() => HandOverDeadline, x => x.HandOverDeadlineTokenId, s => s.Received = r => r.CorrelateById(c => c.Message.SeizureId));

        Initially(
            When(Requested)
                .Then(c =>
                {
                    c.Saga.CaseNumber = c.Message.CaseNumber;
                    c.Saga.FreezeId = c.Message.FreezeId;
                    c.Saga.Amount = c.Message.Amount;
                    c.Saga.Reason = c.Message.Reason;
                    c.Saga.LegalDocumentReference = c.Message.LegalDocumentReference;
                    c.Saga.RequestedBy = c.Message.RequestedBy;
                    c.Saga.HandOverRequestedAt = c.Saga.UpdatedAt = clock.GetUtcNow();
                    c.Saga.HandOverRequests = 1;
                })
                .Publish(c => HandOverRequest(c.Saga))
                .Schedule(HandOverDeadline, c => new FrozenFundsHandOverDue(c.Saga.CorrelationId), _ => timeout)
                .TransitionTo(AwaitingHandOver));

        During(AwaitingHandOver,
            When(HandOverDeadline.Received, c => c.Saga.HandOverRequests < maxRequests)
                .Then(c =>
                {
                    c.Saga.HandOverRequests++;
                    c.Saga.HandOverRequestedAt = c.Saga.UpdatedAt = clock.GetUtcNow();
                })
                .Publish(c => HandOverRequest(c.Saga))
                .Schedule(HandOverDeadline, c => new FrozenFundsHandOverDue(c.Saga.CorrelationId), _ => timeout),
            When(HandOverDeadline.Received, c => c.Saga.HandOverRequests >= maxRequests)
                .Then(c => Finish(c.Saga, $"{nameof(Stalled)}: no answer from the freeze service to {c.Saga.HandOverRequests} hand-over requests",
                    clock))
                .TransitionTo(Stalled));

        // A late answer still completes a stalled seizure.
        During(AwaitingHandOver, Stalled,
            When(TakenIntoCustody)
                .Unschedule(HandOverDeadline)
                .Then(c => Finish(c.Saga, nameof(Seized), clock))
                .TransitionTo(Seized),
            When(HandOverRefused)
                .Unschedule(HandOverDeadline)
                .Then(c => Finish(c.Saga, $"{nameof(Refused)}: {c.Message.Rule}", clock))
                .TransitionTo(Refused),
            Ignore(Requested));

        During(Stalled, Ignore(HandOverDeadline.Received));
        During(Seized, Refused, Ignore(Requested), Ignore(TakenIntoCustody), Ignore(HandOverRefused), Ignore(HandOverDeadline.Received));
    }

    private static HandOverFrozenFunds HandOverRequest(FrozenFundsSeizureState saga) => new(saga.CorrelationId, saga.FreezeId,
        saga.CaseNumber, saga.Amount!, saga.Reason, saga.LegalDocumentReference, saga.RequestedBy!);

    private static void Finish(FrozenFundsSeizureState saga, string outcome, TimeProvider clock)
    {
        saga.Outcome = outcome;
        saga.UpdatedAt = clock.GetUtcNow();
    }
}
