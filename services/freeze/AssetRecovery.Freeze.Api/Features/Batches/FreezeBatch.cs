using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts;
using AssetRecovery.Freeze.Domain;
using Marten;

namespace AssetRecovery.Freeze.Features.Batches;

public enum BatchRowStatus
{
    /// <summary>Refused by validation when the batch was submitted.</summary>
    Invalid,
    Pending,
    /// <summary>A freeze was requested (or the row repeated one already requested).</summary>
    Accepted,
    /// <summary>Valid, but a rule refused it (e.g. the account's stop-payment limit).</summary>
    Refused,
}

/// <summary>A bulk request: who sent it, when, and how many rows it had.</summary>
public sealed class FreezeBatch
{
    public Guid Id { get; set; }
    public required Actor SubmittedBy { get; set; }
    /// <summary>The bank of the liaison officer who submitted it (null for investigators): only that bank sees it.</summary>
    public string? BankCode { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }
    public int Total { get; set; }
    public int Invalid { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}

/// <summary>One row of a bulk request and what became of it.</summary>
public sealed class FreezeBatchRow
{
    public string Id { get; set; } = "";
    public Guid BatchId { get; set; }
    public int RowNumber { get; set; }
    public FreezeRequestInput? Input { get; set; }
    public BatchRowStatus Status { get; set; }
    public Guid? FreezeId { get; set; }
    public Dictionary<string, string[]>? Errors { get; set; }
    public string? Rule { get; set; }

    /// <summary>What became of the row: its freeze, or the rule that refused it (each attempt sets both afresh).</summary>
    public void RecordOutcome(Guid? freezeId, DomainRuleViolationException? refusal)
    {
        Status = refusal is null ? BatchRowStatus.Accepted : BatchRowStatus.Refused;
        FreezeId = refusal is null ? freezeId : null;
        Rule = refusal?.Rule;
        Errors = refusal is null ? null : new Dictionary<string, string[]> { ["row"] = [refusal.Message] };
    }

    public static string IdFor(Guid batchId, int rowNumber) => $"{batchId:N}/{rowNumber:D5}";

    /// <summary>How many of the batch's rows are in each status, from one read of their statuses (not one count each).</summary>
    public static async Task<Dictionary<BatchRowStatus, int>> CountByStatusAsync(IQuerySession session, Guid batchId, CancellationToken ct)
    {
        var statuses = await session.Query<FreezeBatchRow>().Where(r => r.BatchId == batchId).Select(r => r.Status).ToListAsync(ct);
        return statuses.CountBy(status => status).ToDictionary();
    }
}
