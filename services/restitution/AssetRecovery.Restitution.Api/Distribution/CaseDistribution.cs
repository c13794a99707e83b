using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Restitution;

namespace AssetRecovery.Restitution.Distribution;

public enum RoundStatus
{
    /// <summary>Worked out; waiting for the recovery pool to pay the money out.</summary>
    Planned,
    /// <summary>The pool paid it out; payments are instructed.</summary>
    Funded,
    /// <summary>The pool could not fund it; nothing of it counts.</summary>
    Cancelled,
}

/// <summary>A round's totals; who it gives what is in its events (<see cref="RoundAllocations"/>).</summary>
public sealed record DistributionRound(Guid RoundId, int OrderVersion, DistributionPolicy Policy, Money Requested, Money Distributed,
    int AllocationCount, string Reference, Actor PlannedBy, DateTimeOffset PlannedAt, RoundStatus Status, DateTimeOffset? SettledAt,
    string? CancelReason);

/// <summary>
/// Every distribution round of one case, on one stream: planning a round appends to it, so two rounds planned at once
/// conflict and the second is worked out again on top of the first (nobody is allocated the same money twice).
/// </summary>
public sealed record CaseDistribution
{
    public Guid Id { get; init; }
    public int Version { get; init; }
    public required string CaseNumber { get; init; }
    public IReadOnlyList<DistributionRound> Rounds { get; init; } = [];
    /// <summary>The recovery saga starts rounds by itself as money reaches the pool.</summary>
    public bool AutoDistribute { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public string? ClosedReason { get; init; }

    public static Guid StreamIdFor(string caseNumber) => NameBasedIds.For($"assetrecovery/distribution/{caseNumber}");

    public static CaseDistribution Create(DistributionRoundPlanned e) => new CaseDistribution { Id = StreamIdFor(e.CaseNumber), CaseNumber = e.CaseNumber }.Apply(e);

    public static CaseDistribution Create(AutoDistributionSet e) => new CaseDistribution { Id = StreamIdFor(e.CaseNumber), CaseNumber = e.CaseNumber }.Apply(e);

    public CaseDistribution Apply(AutoDistributionSet e) => this with { AutoDistribute = e.Enabled };

    public CaseDistribution Apply(CaseRecoveryClosed e) => this with { ClosedAt = e.ClosedAt, ClosedReason = e.Reason, AutoDistribute = false };

    public CaseDistribution Apply(DistributionRoundPlanned e) => this with
    {
        Rounds = [.. Rounds, new DistributionRound(e.RoundId, e.OrderVersion, e.Policy, e.Requested, e.Distributed, e.AllocationCount(), e.Reference,
            e.PlannedBy, e.PlannedAt, RoundStatus.Planned, null, null)],
    };

    public CaseDistribution Apply(DistributionRoundFunded e) =>
        With(e.RoundId, r => r with { Status = RoundStatus.Funded, SettledAt = e.FundedAt });

    public CaseDistribution Apply(DistributionRoundCancelled e) =>
        With(e.RoundId, r => r with { Status = RoundStatus.Cancelled, SettledAt = e.CancelledAt, CancelReason = e.Reason });

    private CaseDistribution With(Guid roundId, Func<DistributionRound, DistributionRound> change) =>
        this with { Rounds = Rounds.Select(r => r.RoundId == roundId ? change(r) : r).ToList() };
}

public static class PayeeKeys
{
    public static string Victim(Guid claimId) => $"claim:{claimId}";
    public static string Creditor(string creditorId) => $"creditor:{creditorId}";
    public static string For(RoundAllocation a) => a.ClaimId is { } claimId ? Victim(claimId) : Creditor(a.CreditorId!);
}
