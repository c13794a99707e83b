using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Restitution;
using AssetRecovery.Contracts.VictimClaim;
using Marten;
using MassTransit;
using Npgsql;

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

    /// <summary>
    /// The case each of these claims is tied to (null: none yet), for the claims this service knows; read as two columns,
    /// so an order naming 100,000 victims does not load 100,000 documents to check them.
    /// </summary>
    public static async Task<Dictionary<Guid, string?>> CaseNumbersAsync(NpgsqlDataSource database, IQuerySession session,
        IReadOnlyCollection<Guid> claimIds, CancellationToken ct)
    {
        await using var command = database.CreateCommand(
            $"select id, data ->> 'CaseNumber' from {session.DocumentStore.Options.Schema.For<Claimant>()} where id = any($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = claimIds.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var cases = new Dictionary<Guid, string?>(claimIds.Count);
        while (await reader.ReadAsync(ct)) cases[reader.GetGuid(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
        return cases;
    }
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
