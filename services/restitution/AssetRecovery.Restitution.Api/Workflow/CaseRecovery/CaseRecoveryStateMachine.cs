using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Restitution;
using AssetRecovery.Contracts.Seizure;
using MassTransit;

namespace AssetRecovery.Restitution.Workflow.CaseRecovery;

/// <summary>Saga state of one case's recovery: what the recovery pool holds, as seizure's events tell it.</summary>
public sealed class CaseRecoveryState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "";
    public string CaseNumber { get; set; } = "";
    public Dictionary<string, decimal> PoolBalance { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Each pool movement counted once (events may be redelivered): by instruction or source id.</summary>
    public HashSet<Guid> CountedMovements { get; set; } = [];
    public string? ClosedReason { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public static Guid IdFor(string caseNumber) => NameBasedIds.For($"assetrecovery/case-recovery/{caseNumber}");
}

/// <summary>
/// The recovery of a case from interception to return. It follows the order, the pool (credits from custody and
/// disposals, debits for rounds), the rounds and the payments; after each it asks the restitution service to review the
/// case (<see cref="ReviewCaseRecoveryConsumer"/>), which starts a round when money is available and auto-distribution
/// is on, or closes the case once everyone is paid in full. Closed is final.
/// </summary>
public sealed class CaseRecoveryStateMachine : MassTransitStateMachine<CaseRecoveryState>
{
    public State Open { get; private set; } = null!;
    public State Closed { get; private set; } = null!;

    public Event<RestitutionOrderRecorded> OrderRecorded { get; private set; } = null!;
    public Event<RestitutionOrderAmended> OrderAmended { get; private set; } = null!;
    public Event<AutoDistributionSet> AutoDistributionChanged { get; private set; } = null!;
    public Event<RecoveryPoolCredited> PoolCredited { get; private set; } = null!;
    public Event<RecoveryPoolDebited> PoolDebited { get; private set; } = null!;
    public Event<RecoveryPoolDebitRefused> PoolDebitRefused { get; private set; } = null!;
    public Event<DistributionRoundFunded> RoundFunded { get; private set; } = null!;
    public Event<DistributionRoundCancelled> RoundCancelled { get; private set; } = null!;
    public Event<PaymentConfirmed> PaymentConfirmed { get; private set; } = null!;
    public Event<CaseRecoveryClosed> RecoveryClosed { get; private set; } = null!;

    public CaseRecoveryStateMachine()
    {
        InstanceState(x => x.CurrentState);
        Event(() => OrderRecorded, x => x.CorrelateById(c => CaseRecoveryState.IdFor(c.Message.CaseNumber)));
        Event(() => OrderAmended, x => x.CorrelateById(c => CaseRecoveryState.IdFor(c.Message.CaseNumber)));
        Event(() => AutoDistributionChanged, x => x.CorrelateById(c => CaseRecoveryState.IdFor(c.Message.CaseNumber)));
        Event(() => PoolCredited, x => x.CorrelateById(c => CaseRecoveryState.IdFor(c.Message.CaseNumber)));
        Event(() => PoolDebited, x => x.CorrelateById(c => CaseRecoveryState.IdFor(c.Message.CaseNumber)));
        Event(() => PoolDebitRefused, x => x.CorrelateById(c => CaseRecoveryState.IdFor(c.Message.CaseNumber)));
        Event(() => RoundFunded, x => x.CorrelateById(c => CaseRecoveryState.IdFor(c.Message.CaseNumber)));
        Event(() => RoundCancelled, x => x.CorrelateById(c => CaseRecoveryState.IdFor(c.Message.CaseNumber)));
        Event(() => PaymentConfirmed, x => x.CorrelateById(c => CaseRecoveryState.IdFor(c.Message.CaseNumber)));
        Event(() => RecoveryClosed, x => x.CorrelateById(c => CaseRecoveryState.IdFor(c.Message.CaseNumber)));

        Initially(
            When(OrderRecorded).Then(c => Start(c.Saga, c.Message.CaseNumber)).TransitionTo(Open).Publish(c => ReviewOf(c.Saga)),
            When(OrderAmended).Then(c => Start(c.Saga, c.Message.CaseNumber)).TransitionTo(Open).Publish(c => ReviewOf(c.Saga)),
            When(AutoDistributionChanged).Then(c => Start(c.Saga, c.Message.CaseNumber)).TransitionTo(Open).Publish(c => ReviewOf(c.Saga)),
            When(PoolCredited).Then(c => { Start(c.Saga, c.Message.CaseNumber); Credit(c.Saga, c.Message); }).TransitionTo(Open).Publish(c => ReviewOf(c.Saga)),
            When(PoolDebited).Then(c => { Start(c.Saga, c.Message.CaseNumber); Debit(c.Saga, c.Message); }).TransitionTo(Open),
            When(PoolDebitRefused).Then(c => { Start(c.Saga, c.Message.CaseNumber); Refused(c.Saga, c.Message); }).TransitionTo(Open),
            When(RoundFunded).Then(c => Start(c.Saga, c.Message.CaseNumber)).TransitionTo(Open).Publish(c => ReviewOf(c.Saga)),
            When(RoundCancelled).Then(c => Start(c.Saga, c.Message.CaseNumber)).TransitionTo(Open),
            When(PaymentConfirmed).Then(c => Start(c.Saga, c.Message.CaseNumber)).TransitionTo(Open).Publish(c => ReviewOf(c.Saga, closingOnly: true)),
            When(RecoveryClosed).Then(c => { Start(c.Saga, c.Message.CaseNumber); c.Saga.ClosedReason = c.Message.Reason; }).TransitionTo(Closed));

        During(Open,
            When(OrderRecorded).Publish(c => ReviewOf(c.Saga)),
            When(OrderAmended).Publish(c => ReviewOf(c.Saga)),
            When(AutoDistributionChanged).Publish(c => ReviewOf(c.Saga)),
            When(PoolCredited).Then(c => Credit(c.Saga, c.Message)).Publish(c => ReviewOf(c.Saga)),
            When(PoolDebited).Then(c => Debit(c.Saga, c.Message)),
            When(PoolDebitRefused).Then(c => Refused(c.Saga, c.Message)),
            When(RoundFunded).Publish(c => ReviewOf(c.Saga)),
            // A cancelled round waits for new money: reviewing now would only plan the same round again.
            Ignore(RoundCancelled),
            When(PaymentConfirmed).Publish(c => ReviewOf(c.Saga, closingOnly: true)),
            When(RecoveryClosed).Then(c => c.Saga.ClosedReason = c.Message.Reason).TransitionTo(Closed));

        During(Closed,
            When(PoolCredited).Then(c => Credit(c.Saga, c.Message)),
            When(PoolDebited).Then(c => Debit(c.Saga, c.Message)),
            Ignore(OrderRecorded), Ignore(OrderAmended), Ignore(AutoDistributionChanged), Ignore(PoolDebitRefused), Ignore(RoundFunded),
            Ignore(RoundCancelled), Ignore(PaymentConfirmed), Ignore(RecoveryClosed));
    }

    private static void Start(CaseRecoveryState saga, string caseNumber) => saga.CaseNumber = caseNumber;

    private static void Credit(CaseRecoveryState saga, RecoveryPoolCredited e)
    {
        if (saga.CountedMovements.Add(e.SourceId)) saga.PoolBalance[e.Amount.Currency] = saga.PoolBalance.GetValueOrDefault(e.Amount.Currency) + e.Amount.Amount;
    }

    private static void Debit(CaseRecoveryState saga, RecoveryPoolDebited e)
    {
        if (saga.CountedMovements.Add(e.InstructionId)) saga.PoolBalance[e.Amount.Currency] = saga.PoolBalance.GetValueOrDefault(e.Amount.Currency) - e.Amount.Amount;
    }

    /// <summary>A refusal states the pool's actual balance at that moment: take it.</summary>
    private static void Refused(CaseRecoveryState saga, RecoveryPoolDebitRefused e) => saga.PoolBalance[e.Balance.Currency] = e.Balance.Amount;

    private static ReviewCaseRecovery ReviewOf(CaseRecoveryState saga, bool closingOnly = false) =>
        new(saga.CaseNumber, saga.PoolBalance.Select(b => new Money(b.Value, b.Key)).ToList(), closingOnly);
}
