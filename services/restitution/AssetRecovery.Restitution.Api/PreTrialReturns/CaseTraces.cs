using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts.Freeze;
using Marten;
using MassTransit;

namespace AssetRecovery.Restitution.PreTrialReturns;

/// <summary>
/// The latest completed trace of a case in one currency, as the freeze service reported it (TraceCompleted): per victim,
/// the loss and the money held per account (read by <see cref="TracedHoldings"/>, as victim-claim's CaseTracing is).
/// Id: "{caseNumber}/{currency}".
/// </summary>
public sealed class CaseTrace
{
    public string Id { get; set; } = "";
    public string CaseNumber { get; set; } = "";
    public string Currency { get; set; } = "";
    public Guid TraceId { get; set; }
    public TraceRule Rule { get; set; }
    public DateTimeOffset CompletedAt { get; set; }
    /// <summary>In the trace's order (ties in a split go to the victim listed first).</summary>
    public List<TracedVictim> Victims { get; set; } = [];

    public static string IdFor(string caseNumber, string currency) => $"{caseNumber}/{currency}";
}

/// <summary>Keeps <see cref="CaseTrace"/>: a trace older than the one kept (redelivered, reordered) changes nothing. Staged only.</summary>
public sealed class CaseTraceConsumer(IDocumentSession session) : IConsumer<TraceCompleted>
{
    public async Task Consume(ConsumeContext<TraceCompleted> context)
    {
        var e = context.Message;
        var id = CaseTrace.IdFor(e.CaseNumber, e.Loss.Currency);
        var current = await session.LoadAsync<CaseTrace>(id, context.CancellationToken);
        if (current is not null && !TracedHoldings.Supersedes(e, current.CompletedAt, current.TraceId)) return;
        session.Store(new CaseTrace
        {
            Id = id, CaseNumber = e.CaseNumber, Currency = e.Loss.Currency, TraceId = e.TraceId, Rule = e.Rule, CompletedAt = e.CompletedAt,
            Victims = TracedHoldings.Of(e),
        });
    }
}
