using System.Text.Json.Serialization;
using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Contracts.Restitution;
using AssetRecovery.Contracts.Seizure;
using AssetRecovery.Contracts.VictimClaim;
using JasperFx.Events;
using Marten.Events.Projections;

namespace AssetRecovery.Restitution.Ledger;

/// <summary>
/// The money of one case from interception to return, per currency and per victim, built from every service's events
/// in the shared store (freeze, tracing, seizure, victim claims, restitution). Its conservation checks
/// (<see cref="Reconciliation"/>) are the product's proof that no money was created or lost.
/// </summary>
/// <remarks>
/// The document is rewritten whole for each batch of the case's events: for 100,000 victims each rewrite serialised
/// 27 MB and left about 90 MB of buffers for the GC (docs/benchmarks, finding 23). So a victim's figures leave out what
/// is zero or unknown, their claim id is the map's key only, and a funded round keeps no per-victim allocations.
/// </remarks>
public sealed class CaseLedger : IJsonOnDeserialized
{
    public string Id { get; set; } = "";
    public int FreezesRequested { get; set; }
    public int FreezesRejected { get; set; }
    public int AcknowledgementsOverdue { get; set; }
    /// <summary>Frozen at banks as they reported it.</summary>
    public Dictionary<string, decimal> Frozen { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Released from freezes (by decision, or lapsed).</summary>
    public Dictionary<string, decimal> Released { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Frozen money taken into custody (credited to the recovery pool).</summary>
    public Dictionary<string, decimal> Seized { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Net proceeds of disposed assets (credited to the recovery pool).</summary>
    public Dictionary<string, decimal> Proceeds { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, decimal> PoolDebited { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, decimal> PoolBalance { get; set; } = new(StringComparer.Ordinal);
    /// <summary>The lowest balance the pool reached, per currency (must never be below zero).</summary>
    public Dictionary<string, decimal> PoolLowestBalance { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Debits of the pool per instruction (restitution's round ids).</summary>
    public Dictionary<Guid, decimal> DebitsByInstruction { get; set; } = [];
    public Dictionary<string, decimal> Paid { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Frozen money returned to victims before trial (released by the freeze for the return).</summary>
    public Dictionary<string, decimal> ReturnedBeforeTrial { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<Guid, List<PreTrialPayment>> PreTrialReturns { get; set; } = [];
    public HashSet<Guid> ReceiptedReturns { get; set; } = [];
    /// <summary>Paid to the state as confiscation.</summary>
    public Dictionary<string, decimal> Confiscated { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Latest completed trace per currency: each traced victim id's money still in accounts.</summary>
    public Dictionary<string, Dictionary<string, decimal>> TracedByVictimId { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, DateTimeOffset> TracedAt { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<Guid, LedgerVictim> Victims { get; set; } = [];
    public Dictionary<Guid, LedgerRound> Rounds { get; set; } = [];
    public Dictionary<Guid, decimal> ConfirmedPayments { get; set; } = [];
    /// <summary>
    /// The class of each planned payment to another creditor (payment id = allocation id); a victim's is always
    /// VictimLosses, so 100,000 victims' payments are not listed here.
    /// </summary>
    public Dictionary<Guid, PriorityClass> PaymentClasses { get; set; } = [];
    public long LastSequence { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public LedgerVictim Victim(Guid claimId)
    {
        if (!Victims.TryGetValue(claimId, out var victim)) Victims[claimId] = victim = new LedgerVictim { ClaimId = claimId };
        return victim;
    }

    /// <summary>Each victim's claim id is stored as its key only.</summary>
    public void OnDeserialized()
    {
        foreach (var (claimId, victim) in Victims) victim.ClaimId = claimId;
    }
}

/// <summary>One victim (claim) of the case; stored without what is zero or unknown.</summary>
public sealed class LedgerVictim
{
    [JsonIgnore]
    public Guid ClaimId { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? Name { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? TraceVictimId { get; set; }
    public string Currency { get; set; } = "";
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public decimal Reported { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public decimal? Verified { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public decimal Ordered { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public decimal Allocated { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public decimal Paid { get; set; }
}

public sealed record PreTrialPayment(Guid ClaimId, decimal Amount, string Currency);

/// <summary>A distribution round as planned (its allocations summed independently of its stated total) and what became of it.</summary>
public sealed class LedgerRound
{
    public Guid RoundId { get; set; }
    public string Currency { get; set; } = "";
    public decimal Distributed { get; set; }
    public decimal SumOfAllocations { get; set; }
    public string Status { get; set; } = "Planned";
    /// <summary>What the round gives each victim, kept while it may still be cancelled (until funded).</summary>
    public Dictionary<Guid, decimal> VictimAllocations { get; set; } = [];
}

public sealed partial class CaseLedgerProjection : MultiStreamProjection<CaseLedger, string>
{
    public CaseLedgerProjection()
    {
        Identity<FreezeRequested>(e => e.CaseNumber);
        Identity<FreezeExecutedByBank>(e => e.CaseNumber);
        Identity<FreezeRejectedByBank>(e => e.CaseNumber);
        Identity<FreezeAcknowledgementOverdue>(e => e.CaseNumber);
        Identity<FreezeReleased>(e => e.CaseNumber);
        Identity<FreezeLapsed>(e => e.CaseNumber);
        Identity<TraceCompleted>(e => e.CaseNumber);
        Identity<RecoveryPoolCredited>(e => e.CaseNumber);
        Identity<RecoveryPoolDebited>(e => e.CaseNumber);
        Identity<ClaimLinkedToCase>(e => e.CaseNumber);
        Identity<ClaimApproved>(e => e.CaseNumber);
        Identity<RestitutionOrderRecorded>(e => e.CaseNumber);
        Identity<RestitutionOrderAmended>(e => e.CaseNumber);
        Identity<RestitutionOrderVictimsListed>(e => e.CaseNumber);
        Identity<DistributionRoundPlanned>(e => e.CaseNumber);
        Identity<DistributionRoundAllocationsListed>(e => e.CaseNumber);
        Identity<DistributionRoundFunded>(e => e.CaseNumber);
        Identity<DistributionRoundCancelled>(e => e.CaseNumber);
        Identity<PaymentConfirmed>(e => e.CaseNumber);
        Identity<PreTrialReturnInstructed>(e => e.CaseNumber);
        Identity<PreTrialReturnReceiptRecorded>(e => e.CaseNumber);
    }

    public void Apply(IEvent<PreTrialReturnInstructed> e, CaseLedger ledger) => Touch(ledger, e, () =>
    {
        if (ledger.PreTrialReturns.ContainsKey(e.Data.ReturnId)) return;
        ledger.ReturnedBeforeTrial.Add(e.Data.Total);
        ledger.PreTrialReturns[e.Data.ReturnId] = e.Data.Payments.Select(p => new PreTrialPayment(p.ClaimId, p.Amount.Amount, p.Amount.Currency)).ToList();
    });

    /// <summary>The bank's receipt: the return's payments count as paid (the receipt follows its instruction in the store).</summary>
    public void Apply(IEvent<PreTrialReturnReceiptRecorded> e, CaseLedger ledger) => Touch(ledger, e, () =>
    {
        if (!ledger.PreTrialReturns.TryGetValue(e.Data.ReturnId, out var payments) || !ledger.ReceiptedReturns.Add(e.Data.ReturnId)) return;
        foreach (var p in payments)
        {
            ledger.Paid[p.Currency] = ledger.Paid.GetValueOrDefault(p.Currency) + p.Amount;
            ledger.Victim(p.ClaimId).Paid += p.Amount;
        }
    });

    public void Apply(IEvent<FreezeRequested> e, CaseLedger ledger) => Touch(ledger, e, () => ledger.FreezesRequested++);

    public void Apply(IEvent<FreezeExecutedByBank> e, CaseLedger ledger) => Touch(ledger, e, () => ledger.Frozen.Add(e.Data.FrozenAmount));

    public void Apply(IEvent<FreezeRejectedByBank> e, CaseLedger ledger) => Touch(ledger, e, () => ledger.FreezesRejected++);

    public void Apply(IEvent<FreezeAcknowledgementOverdue> e, CaseLedger ledger) => Touch(ledger, e, () => ledger.AcknowledgementsOverdue++);

    public void Apply(IEvent<FreezeReleased> e, CaseLedger ledger) => Touch(ledger, e, () => ledger.Released.Add(e.Data.Released));

    public void Apply(IEvent<FreezeLapsed> e, CaseLedger ledger) => Touch(ledger, e, () =>
    {
        if (e.Data.FrozenAmount is { } lapsed) ledger.Released.Add(lapsed);
    });

    public void Apply(IEvent<TraceCompleted> e, CaseLedger ledger) => Touch(ledger, e, () =>
    {
        var currency = e.Data.Loss.Currency;
        if (ledger.TracedAt.TryGetValue(currency, out var at) && at > e.Data.CompletedAt) return;
        ledger.TracedAt[currency] = e.Data.CompletedAt;
        ledger.TracedByVictimId[currency] = (e.Data.ByVictim ?? []).ToDictionary(v => v.VictimId, v => v.Traced.Amount, StringComparer.Ordinal);
    });

    public void Apply(IEvent<RecoveryPoolCredited> e, CaseLedger ledger) => Touch(ledger, e, () =>
    {
        (e.Data.Source == RecoveryPoolCreditSource.DisposalProceeds ? ledger.Proceeds : ledger.Seized).Add(e.Data.Amount);
        ledger.PoolBalance.Add(e.Data.Amount);
    });

    public void Apply(IEvent<RecoveryPoolDebited> e, CaseLedger ledger) => Touch(ledger, e, () =>
    {
        var amount = e.Data.Amount;
        ledger.PoolDebited.Add(amount);
        ledger.PoolBalance.Add(amount with { Amount = -amount.Amount });
        ledger.PoolLowestBalance[amount.Currency] = Math.Min(ledger.PoolLowestBalance.GetValueOrDefault(amount.Currency),
            ledger.PoolBalance[amount.Currency]);
        ledger.DebitsByInstruction[e.Data.InstructionId] = ledger.DebitsByInstruction.GetValueOrDefault(e.Data.InstructionId) + amount.Amount;
    });

    public void Apply(IEvent<ClaimLinkedToCase> e, CaseLedger ledger) => Touch(ledger, e, () =>
    {
        var victim = ledger.Victim(e.Data.ClaimId);
        victim.TraceVictimId = e.Data.TraceVictimId;
        if (e.Data.ClaimedLoss is { } claimed) (victim.Reported, victim.Currency) = (claimed.Amount, claimed.Currency);
    });

    public void Apply(IEvent<ClaimApproved> e, CaseLedger ledger) => Touch(ledger, e, () =>
    {
        var victim = ledger.Victim(e.Data.ClaimId);
        (victim.Verified, victim.Currency) = (e.Data.VerifiedLoss.Amount, e.Data.VerifiedLoss.Currency);
    });

    public void Apply(IEvent<RestitutionOrderRecorded> e, CaseLedger ledger) => Touch(ledger, e, () => Order(ledger, e.Data.Terms));

    public void Apply(IEvent<RestitutionOrderAmended> e, CaseLedger ledger) => Touch(ledger, e, () => Order(ledger, e.Data.Terms));

    /// <summary>Follows its version's recorded or amended event in the store, so it adds to that version.</summary>
    public void Apply(IEvent<RestitutionOrderVictimsListed> e, CaseLedger ledger) => Touch(ledger, e, () => Ordered(ledger, e.Data.Victims));

    public void Apply(IEvent<DistributionRoundPlanned> e, CaseLedger ledger) => Touch(ledger, e, () =>
    {
        var round = ledger.Rounds[e.Data.RoundId] = new LedgerRound
        {
            RoundId = e.Data.RoundId, Currency = e.Data.Distributed.Currency, Distributed = e.Data.Distributed.Amount,
        };
        Allocate(ledger, round, e.Data.Allocations);
    });

    /// <summary>Follows its round's planned event in the store (same transaction), so it adds to that round.</summary>
    public void Apply(IEvent<DistributionRoundAllocationsListed> e, CaseLedger ledger) => Touch(ledger, e, () =>
    {
        if (ledger.Rounds.TryGetValue(e.Data.RoundId, out var round)) Allocate(ledger, round, e.Data.Allocations);
    });

    public void Apply(IEvent<DistributionRoundFunded> e, CaseLedger ledger) => Touch(ledger, e, () =>
    {
        if (!ledger.Rounds.TryGetValue(e.Data.RoundId, out var round)) return;
        // Only a planned round is cancelled (the pool refused it): a funded one needs its allocations no more.
        (round.Status, round.VictimAllocations) = ("Funded", []);
    });

    public void Apply(IEvent<DistributionRoundCancelled> e, CaseLedger ledger) => Touch(ledger, e, () =>
    {
        if (!ledger.Rounds.TryGetValue(e.Data.RoundId, out var round) || round.Status == "Cancelled") return;
        round.Status = "Cancelled";
        foreach (var (claimId, amount) in round.VictimAllocations) ledger.Victim(claimId).Allocated -= amount;
    });

    public void Apply(IEvent<PaymentConfirmed> e, CaseLedger ledger) => Touch(ledger, e, () =>
    {
        if (!ledger.ConfirmedPayments.TryAdd(e.Data.PaymentId, e.Data.Amount.Amount)) return;
        ledger.Paid.Add(e.Data.Amount);
        if (ledger.PaymentClasses.GetValueOrDefault(e.Data.PaymentId) == PriorityClass.Confiscation) ledger.Confiscated.Add(e.Data.Amount);
        if (e.Data.ClaimId is { } claimId) ledger.Victim(claimId).Paid += e.Data.Amount.Amount;
    });

    /// <summary>Allocations summed independently of the round's stated total (<see cref="Reconciliation"/> compares them).</summary>
    private static void Allocate(CaseLedger ledger, LedgerRound round, IReadOnlyList<RoundAllocation> allocations)
    {
        foreach (var a in allocations)
        {
            round.SumOfAllocations += a.Amount.Amount;
            if (a.ClaimId is not { } claimId)
            {
                ledger.PaymentClasses[a.PaymentId] = a.Class;
                continue;
            }
            ledger.Victim(claimId).Allocated += a.Amount.Amount;
            round.VictimAllocations[claimId] = round.VictimAllocations.GetValueOrDefault(claimId) + a.Amount.Amount;
        }
    }

    /// <summary>A new version replaces the one before: its victims are those it carries (events recorded before victims were listed apart) and those listed after it.</summary>
    private static void Order(CaseLedger ledger, RestitutionOrderTerms terms)
    {
        foreach (var victim in ledger.Victims.Values) victim.Ordered = 0m;
        Ordered(ledger, terms.Victims);
    }

    private static void Ordered(CaseLedger ledger, IReadOnlyList<OrderedVictim> victims)
    {
        foreach (var ordered in victims)
        {
            var victim = ledger.Victim(ordered.ClaimId);
            (victim.Name, victim.Ordered, victim.Currency) = (ordered.Name, ordered.AdjudicatedLoss.Amount, ordered.AdjudicatedLoss.Currency);
        }
    }

    private static void Touch(CaseLedger ledger, IEvent e, Action apply)
    {
        apply();
        ledger.LastSequence = Math.Max(ledger.LastSequence, e.Sequence);
        if (e.Timestamp > ledger.UpdatedAt) ledger.UpdatedAt = e.Timestamp;
    }
}
