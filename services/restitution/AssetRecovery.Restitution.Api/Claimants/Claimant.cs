using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Restitution;
using AssetRecovery.Contracts.VictimClaim;
using Marten;
using MassTransit;

namespace AssetRecovery.Restitution.Claimants;

/// <summary>A victim's claim as restitution needs it: the verified loss (a cap on payments) and the return account.</summary>
public sealed class Claimant
{
    public Guid Id { get; set; }
    public string VictimSubject { get; set; } = "";
    public string Name { get; set; } = "";
    public string? CaseNumber { get; set; }
    /// <summary>The victim's id in the case's bank records (and so in its traces), once an investigator linked the claim.</summary>
    public string? TraceVictimId { get; set; }
    public Money? VerifiedLoss { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string BankName { get; set; } = "";
    public string AccountNumber { get; set; } = "";
}

/// <summary>Keeps <see cref="Claimant"/> from the victim-claim service's events; a decision older than the one kept is ignored.</summary>
public sealed class ClaimantConsumer(IDocumentSession session, TimeProvider clock) :
    IConsumer<ClaimFiled>, IConsumer<ClaimLinkedToCase>, IConsumer<ClaimApproved>, IConsumer<ClaimDenied>, IConsumer<ClaimReturnAccountChanged>
{
    /// <summary>
    /// The victim's new return account: kept for future payments, and every payment of the claim a bank could not make is
    /// instructed again to it (recorded as the victim's doing).
    /// </summary>
    public async Task Consume(ConsumeContext<ClaimReturnAccountChanged> context)
    {
        var e = context.Message;
        var ct = context.CancellationToken;
        var claimant = await LoadAsync(e.ClaimId, ct);
        (claimant.BankName, claimant.AccountNumber) = (e.ReturnAccount.BankName, e.ReturnAccount.AccountNumber);
        session.Store(claimant);
        var failed = await session.Query<Payments.Payment>()
            .Where(p => p.ClaimId == e.ClaimId && p.Status == Payments.PaymentStatus.Failed).ToListAsync(ct);
        foreach (var payment in failed)
        {
            var stream = await session.Events.FetchForWriting<Payments.Payment>(payment.Id, ct);
            if (stream.Aggregate?.Status != Payments.PaymentStatus.Failed) continue;
            stream.AppendOne(new PaymentReinstructed(payment.Id, payment.CaseNumber, e.ReturnAccount.AccountNumber, e.ReturnAccount.BankName,
                e.ChangedBy, clock.GetUtcNow()));
        }
    }

    public async Task Consume(ConsumeContext<ClaimFiled> context)
    {
        var e = context.Message;
        var claimant = await LoadAsync(e.ClaimId, context.CancellationToken);
        (claimant.VictimSubject, claimant.Name, claimant.BankName, claimant.AccountNumber) =
            (e.VictimSubject, e.FullName, e.ReturnAccount.BankName, e.ReturnAccount.AccountNumber);
        claimant.CaseNumber ??= e.CaseNumber;
        session.Store(claimant);
    }

    public async Task Consume(ConsumeContext<ClaimLinkedToCase> context)
    {
        var claimant = await LoadAsync(context.Message.ClaimId, context.CancellationToken);
        claimant.CaseNumber = context.Message.CaseNumber;
        claimant.TraceVictimId = context.Message.TraceVictimId;
        session.Store(claimant);
    }

    public Task Consume(ConsumeContext<ClaimApproved> context) =>
        DecideAsync(context.Message.ClaimId, context.Message.VerifiedLoss, context.Message.ApprovedAt, context.CancellationToken);

    public Task Consume(ConsumeContext<ClaimDenied> context) =>
        DecideAsync(context.Message.ClaimId, null, context.Message.DeniedAt, context.CancellationToken);

    private async Task DecideAsync(Guid claimId, Money? verified, DateTimeOffset at, CancellationToken ct)
    {
        var claimant = await LoadAsync(claimId, ct);
        if (claimant.DecidedAt >= at) return;
        (claimant.VerifiedLoss, claimant.DecidedAt) = (verified, at);
        session.Store(claimant);
    }

    private async Task<Claimant> LoadAsync(Guid claimId, CancellationToken ct) =>
        await session.LoadAsync<Claimant>(claimId, ct) ?? new Claimant { Id = claimId };
}
