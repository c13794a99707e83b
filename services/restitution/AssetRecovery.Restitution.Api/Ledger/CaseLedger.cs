using System.Text.Json.Serialization;
using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Contracts.Restitution;
using AssetRecovery.Contracts.Seizure;
using AssetRecovery.Contracts.VictimClaim;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;

namespace AssetRecovery.Restitution.Ledger;

/// <summary>
/// The money of one case from interception to return, per currency, built from every service's events in the shared
/// store (freeze, tracing, seizure, victim claims, restitution); each victim's figures are a <see cref="LedgerVictim"/>
/// of their own. Its conservation checks (<see cref="Reconciliation"/>) are the product's proof that no money was
/// created or lost.
/// </summary>
/// <remarks>
/// Kept small on purpose: it is rewritten for each batch of the case's events, and when it held 100,000 victims each
/// rewrite serialised 12 to 25 MB and left several times that in buffers for the GC (docs/benchmarks, finding 25).
/// </remarks>
public sealed class CaseLedger
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
    /// <summary>The order's current version (0: no order yet): a victim's ordered amount counts only under it.</summary>
    public int OrderVersion { get; set; }
    public Dictionary<Guid, LedgerRound> Rounds { get; set; } = [];
    /// <summary>Confirmed payments to other creditors; a victim's are kept on the victim (<see cref="LedgerVictim.ConfirmedPayments"/>).</summary>
    public Dictionary<Guid, decimal> ConfirmedPayments { get; set; } = [];
    /// <summary>
    /// The class of each planned payment to another creditor (payment id = allocation id); a victim's is always
    /// VictimLosses, so 100,000 victims' payments are not listed here.
    /// </summary>
    public Dictionary<Guid, PriorityClass> PaymentClasses { get; set; } = [];
    public long LastSequence { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>What a round gives a victim counts unless the round was cancelled.</summary>
    public decimal Allocated(LedgerVictim victim) =>
        victim.AllocatedByRound?.Where(r => !(Rounds.TryGetValue(r.Key, out var round) && round.Status == "Cancelled")).Sum(r => r.Value) ?? 0m;

    /// <summary>What the order's current version adjudicated for a victim (nothing when a later version left them out).</summary>
    public decimal Ordered(LedgerVictim victim) => victim.OrderVersion == OrderVersion ? victim.Ordered : 0m;
}

/// <summary>One victim (claim) of a case in the case's ledger; stored without what is zero or unknown.</summary>
public sealed class LedgerVictim
{
    /// <summary><see cref="IdFor"/>: the case and the claim.</summary>
    public string Id { get; set; } = "";
    public string CaseNumber { get; set; } = "";
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
    /// <summary>Adjudicated by order version <see cref="OrderVersion"/> (<see cref="CaseLedger.Ordered"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public decimal Ordered { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int OrderVersion { get; set; }
    /// <summary>What each round gives the victim, cancelled ones too (<see cref="CaseLedger.Allocated"/>); null until a round does.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<Guid, decimal>? AllocatedByRound { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public decimal Paid { get; set; }
    /// <summary>Null until a payment to the victim is confirmed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public HashSet<Guid>? ConfirmedPayments { get; set; }

    public static string IdFor(string caseNumber, Guid claimId) => $"{caseNumber}/{claimId}";
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
}

/// <summary>
/// Builds <see cref="CaseLedger"/> and its <see cref="LedgerVictim"/> documents, a daemon batch at a time: the batch's
/// cases and the victims its events name are loaded at once, the events applied in order, and each document touched
/// stored once, in the batch's transaction (so a case and its victims are always as of the same event). An event touches
/// the victims it names only: an amendment's or a cancellation's effect on the others is read through the case's
/// current order version and its rounds' statuses.
/// </summary>
public sealed class CaseLedgerProjection : ProjectionBase, IProjection
{
    /// <summary>
    /// Events a batch takes: an order's or a round's part names up to 200 victims (<c>Orders:VictimsPerEvent</c>,
    /// <c>Distribution:AllocationsPerEvent</c>), and every document a batch touches is held until the batch commits.
    /// </summary>
    public const int EventsPerBatch = 25;

    public CaseLedgerProjection()
    {
        // Version 2: the documents are rebuilt from the events into tables of their own (the case's victims moved out).
        Name = "CaseLedger";
        Version = 2;
        Options.BatchSize = EventsPerBatch;
        Options.DeleteViewTypeOnTeardown<CaseLedger>();
        Options.DeleteViewTypeOnTeardown<LedgerVictim>();
        IncludeType<FreezeRequested>();
        IncludeType<FreezeExecutedByBank>();
        IncludeType<FreezeRejectedByBank>();
        IncludeType<FreezeAcknowledgementOverdue>();
        IncludeType<FreezeReleased>();
        IncludeType<FreezeLapsed>();
        IncludeType<TraceCompleted>();
        IncludeType<RecoveryPoolCredited>();
        IncludeType<RecoveryPoolDebited>();
        IncludeType<ClaimLinkedToCase>();
        IncludeType<ClaimApproved>();
        IncludeType<RestitutionOrderRecorded>();
        IncludeType<RestitutionOrderAmended>();
        IncludeType<RestitutionOrderVictimsListed>();
        IncludeType<DistributionRoundPlanned>();
        IncludeType<DistributionRoundAllocationsListed>();
        IncludeType<DistributionRoundFunded>();
        IncludeType<DistributionRoundCancelled>();
        IncludeType<PaymentConfirmed>();
        IncludeType<PreTrialReturnInstructed>();
        IncludeType<PreTrialReturnReceiptRecorded>();
    }

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var relevant = events.Where(e => e.Data is ICaseEvent).Select(e => (Event: e, CaseNumber: ((ICaseEvent)e.Data).CaseNumber)).ToList();
        if (relevant.Count == 0) return;
        var ledgers = (await operations.LoadManyAsync<CaseLedger>(cancellation, relevant.Select(e => e.CaseNumber).Distinct()))
            .ToDictionary(l => l.Id, StringComparer.Ordinal);
        CaseLedger Ledger(string caseNumber) =>
            ledgers.TryGetValue(caseNumber, out var ledger) ? ledger : ledgers[caseNumber] = new CaseLedger { Id = caseNumber };
        var victimIds = relevant.SelectMany(e => VictimsNamed(e.Event.Data, e.CaseNumber, ledgers.GetValueOrDefault(e.CaseNumber))).ToHashSet();
        // Most batches (freezes, pool movements) name no victim: no query for them.
        var victims = victimIds.Count == 0
            ? new Dictionary<string, LedgerVictim>(StringComparer.Ordinal)
            : (await operations.LoadManyAsync<LedgerVictim>(cancellation, victimIds)).ToDictionary(v => v.Id, StringComparer.Ordinal);
        var touched = new Dictionary<string, LedgerVictim>(StringComparer.Ordinal);
        foreach (var (e, caseNumber) in relevant)
        {
            Apply(e, Ledger(caseNumber), claimId =>
            {
                var id = LedgerVictim.IdFor(caseNumber, claimId);
                if (!victims.TryGetValue(id, out var victim))
                    victims[id] = victim = new LedgerVictim { Id = id, CaseNumber = caseNumber, ClaimId = claimId };
                return touched[id] = victim;
            });
        }
        operations.Store(ledgers.Values.ToArray());
        if (touched.Count > 0) operations.Store(touched.Values.ToArray());
    }

    /// <summary>
    /// The victims an event changes, as document ids. A pre-trial receipt pays the victims of its return, which the case's
    /// ledger lists (or the return's instruction, when it is in the same batch). Every victim <see cref="Apply"/> can
    /// touch must be named here: one not loaded would be written afresh over the stored one.
    /// </summary>
    private static IEnumerable<string> VictimsNamed(object data, string caseNumber, CaseLedger? ledger)
    {
        IEnumerable<Guid> claims = data switch
        {
            ClaimLinkedToCase e => [e.ClaimId],
            ClaimApproved e => [e.ClaimId],
            RestitutionOrderRecorded e => e.Terms.Victims.Select(v => v.ClaimId),
            RestitutionOrderAmended e => e.Terms.Victims.Select(v => v.ClaimId),
            RestitutionOrderVictimsListed e => e.Victims.Select(v => v.ClaimId),
            DistributionRoundPlanned e => e.Allocations.Where(a => a.ClaimId is not null).Select(a => a.ClaimId!.Value),
            DistributionRoundAllocationsListed e => e.Allocations.Where(a => a.ClaimId is not null).Select(a => a.ClaimId!.Value),
            PaymentConfirmed { ClaimId: { } claimId } => [claimId],
            PreTrialReturnInstructed e => e.Payments.Select(p => p.ClaimId),
            PreTrialReturnReceiptRecorded e when ledger?.PreTrialReturns.TryGetValue(e.ReturnId, out var payments) == true =>
                payments.Select(p => p.ClaimId),
            _ => [],
        };
        return claims.Select(claimId => LedgerVictim.IdFor(caseNumber, claimId));
    }

    /// <summary>One event applied to its case's ledger and to the victims it names (<paramref name="victim"/> finds or creates one).</summary>
    public static void Apply(IEvent e, CaseLedger ledger, Func<Guid, LedgerVictim> victim)
    {
        switch (e.Data)
        {
            case FreezeRequested: ledger.FreezesRequested++; break;
            case FreezeExecutedByBank x: ledger.Frozen.Add(x.FrozenAmount); break;
            case FreezeRejectedByBank: ledger.FreezesRejected++; break;
            case FreezeAcknowledgementOverdue: ledger.AcknowledgementsOverdue++; break;
            case FreezeReleased x: ledger.Released.Add(x.Released); break;
            case FreezeLapsed { FrozenAmount: { } lapsed }: ledger.Released.Add(lapsed); break;
            case TraceCompleted x: Traced(ledger, x); break;
            case RecoveryPoolCredited x:
                (x.Source == RecoveryPoolCreditSource.DisposalProceeds ? ledger.Proceeds : ledger.Seized).Add(x.Amount);
                ledger.PoolBalance.Add(x.Amount);
                break;
            case RecoveryPoolDebited x: Debited(ledger, x); break;
            case ClaimLinkedToCase x:
            {
                var linked = victim(x.ClaimId);
                linked.TraceVictimId = x.TraceVictimId;
                if (x.ClaimedLoss is { } claimed) (linked.Reported, linked.Currency) = (claimed.Amount, claimed.Currency);
                break;
            }
            case ClaimApproved x:
            {
                var approved = victim(x.ClaimId);
                (approved.Verified, approved.Currency) = (x.VerifiedLoss.Amount, x.VerifiedLoss.Currency);
                break;
            }
            // A new version replaces the one before: its victims are those it carries (events recorded before victims
            // were listed apart) and those listed after it, in the same transaction.
            case RestitutionOrderRecorded x: ledger.OrderVersion = 1; Ordered(x.Terms.Victims, 1, victim); break;
            case RestitutionOrderAmended x: ledger.OrderVersion = x.OrderVersion; Ordered(x.Terms.Victims, x.OrderVersion, victim); break;
            case RestitutionOrderVictimsListed x: Ordered(x.Victims, x.OrderVersion, victim); break;
            case DistributionRoundPlanned x:
                Allocate(ledger, ledger.Rounds[x.RoundId] = new LedgerRound
                {
                    RoundId = x.RoundId, Currency = x.Distributed.Currency, Distributed = x.Distributed.Amount,
                }, x.Allocations, victim);
                break;
            // Follows its round's planned event in the store (same transaction), so it adds to that round.
            case DistributionRoundAllocationsListed x when ledger.Rounds.TryGetValue(x.RoundId, out var listed):
                Allocate(ledger, listed, x.Allocations, victim);
                break;
            case DistributionRoundFunded x when ledger.Rounds.TryGetValue(x.RoundId, out var funded): funded.Status = "Funded"; break;
            case DistributionRoundCancelled x when ledger.Rounds.TryGetValue(x.RoundId, out var cancelled): cancelled.Status = "Cancelled"; break;
            case PaymentConfirmed x: Confirmed(ledger, x, victim); break;
            case PreTrialReturnInstructed x when !ledger.PreTrialReturns.ContainsKey(x.ReturnId):
                ledger.ReturnedBeforeTrial.Add(x.Total);
                ledger.PreTrialReturns[x.ReturnId] = x.Payments.Select(p => new PreTrialPayment(p.ClaimId, p.Amount.Amount, p.Amount.Currency)).ToList();
                break;
            // The bank's receipt: the return's payments count as paid (the receipt follows its instruction in the store).
            case PreTrialReturnReceiptRecorded x when ledger.PreTrialReturns.TryGetValue(x.ReturnId, out var payments) && ledger.ReceiptedReturns.Add(x.ReturnId):
                foreach (var p in payments)
                {
                    ledger.Paid[p.Currency] = ledger.Paid.GetValueOrDefault(p.Currency) + p.Amount;
                    victim(p.ClaimId).Paid += p.Amount;
                }
                break;
            default: return;
        }
        ledger.LastSequence = Math.Max(ledger.LastSequence, e.Sequence);
        if (e.Timestamp > ledger.UpdatedAt) ledger.UpdatedAt = e.Timestamp;
    }

    private static void Traced(CaseLedger ledger, TraceCompleted e)
    {
        var currency = e.Loss.Currency;
        if (ledger.TracedAt.TryGetValue(currency, out var at) && at > e.CompletedAt) return;
        ledger.TracedAt[currency] = e.CompletedAt;
        ledger.TracedByVictimId[currency] = (e.ByVictim ?? []).ToDictionary(v => v.VictimId, v => v.Traced.Amount, StringComparer.Ordinal);
    }

    private static void Debited(CaseLedger ledger, RecoveryPoolDebited e)
    {
        var amount = e.Amount;
        ledger.PoolDebited.Add(amount);
        ledger.PoolBalance.Add(amount with { Amount = -amount.Amount });
        ledger.PoolLowestBalance[amount.Currency] = Math.Min(ledger.PoolLowestBalance.GetValueOrDefault(amount.Currency),
            ledger.PoolBalance[amount.Currency]);
        ledger.DebitsByInstruction[e.InstructionId] = ledger.DebitsByInstruction.GetValueOrDefault(e.InstructionId) + amount.Amount;
    }

    private static void Confirmed(CaseLedger ledger, PaymentConfirmed e, Func<Guid, LedgerVictim> victim)
    {
        // A payment counts once: a victim's confirmations are kept on the victim, other creditors' on the case.
        if (e.ClaimId is { } claimId)
        {
            var paid = victim(claimId);
            if (!(paid.ConfirmedPayments ??= []).Add(e.PaymentId)) return;
            paid.Paid += e.Amount.Amount;
        }
        else if (!ledger.ConfirmedPayments.TryAdd(e.PaymentId, e.Amount.Amount)) return;
        ledger.Paid.Add(e.Amount);
        if (ledger.PaymentClasses.GetValueOrDefault(e.PaymentId) == PriorityClass.Confiscation) ledger.Confiscated.Add(e.Amount);
    }

    /// <summary>Allocations summed independently of the round's stated total (<see cref="Reconciliation"/> compares them).</summary>
    private static void Allocate(CaseLedger ledger, LedgerRound round, IReadOnlyList<RoundAllocation> allocations, Func<Guid, LedgerVictim> victim)
    {
        foreach (var a in allocations)
        {
            round.SumOfAllocations += a.Amount.Amount;
            if (a.ClaimId is not { } claimId)
            {
                ledger.PaymentClasses[a.PaymentId] = a.Class;
                continue;
            }
            var allocated = victim(claimId).AllocatedByRound ??= [];
            allocated[round.RoundId] = allocated.GetValueOrDefault(round.RoundId) + a.Amount.Amount;
        }
    }

    private static void Ordered(IReadOnlyList<OrderedVictim> victims, int orderVersion, Func<Guid, LedgerVictim> victim)
    {
        foreach (var ordered in victims)
        {
            var v = victim(ordered.ClaimId);
            (v.Name, v.Ordered, v.OrderVersion, v.Currency) = (ordered.Name, ordered.AdjudicatedLoss.Amount, orderVersion, ordered.AdjudicatedLoss.Currency);
        }
    }
}
