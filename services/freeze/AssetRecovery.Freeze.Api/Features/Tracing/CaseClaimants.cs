using AssetRecovery.Contracts.VictimClaim;
using Marten;
using MassTransit;

namespace AssetRecovery.Freeze.Features.Tracing;

/// <summary>
/// A victim's claim as tracing needs it: the case it is linked to and the victim's id in the case's bank records, from
/// the victim-claim service's relayed events. "Trace all claims of the case" runs on these ids.
/// </summary>
public sealed class CaseClaimant
{
    public Guid Id { get; set; }
    public string CaseNumber { get; set; } = "";
    public string? TraceVictimId { get; set; }
    public DateTimeOffset LinkedAt { get; set; }
    public bool Denied { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
}

/// <summary>
/// Keeps <see cref="CaseClaimant"/> per claim. Each figure keeps its latest event by time, so a late or repeated event
/// changes nothing; staged only, committed by the inbox filter.
/// </summary>
public sealed class CaseClaimantsConsumer(IDocumentSession session) :
    IConsumer<ClaimLinkedToCase>, IConsumer<ClaimApproved>, IConsumer<ClaimDenied>
{
    public async Task Consume(ConsumeContext<ClaimLinkedToCase> context)
    {
        var e = context.Message;
        var claimant = await session.LoadAsync<CaseClaimant>(e.ClaimId, context.CancellationToken) ?? new CaseClaimant { Id = e.ClaimId };
        if (claimant.LinkedAt >= e.LinkedAt) return;
        (claimant.CaseNumber, claimant.TraceVictimId, claimant.LinkedAt) = (e.CaseNumber, e.TraceVictimId, e.LinkedAt);
        session.Store(claimant);
    }

    public Task Consume(ConsumeContext<ClaimApproved> context) =>
        DecideAsync(context.Message.ClaimId, denied: false, context.Message.ApprovedAt, context.CancellationToken);

    public Task Consume(ConsumeContext<ClaimDenied> context) =>
        DecideAsync(context.Message.ClaimId, denied: true, context.Message.DeniedAt, context.CancellationToken);

    private async Task DecideAsync(Guid claimId, bool denied, DateTimeOffset at, CancellationToken ct)
    {
        var claimant = await session.LoadAsync<CaseClaimant>(claimId, ct) ?? new CaseClaimant { Id = claimId };
        if (claimant.DecidedAt >= at) return;
        (claimant.Denied, claimant.DecidedAt) = (denied, at);
        session.Store(claimant);
    }
}
