namespace AssetRecovery.Contracts.Freeze;

/// <summary>How money moved in a bank record, for tracing.</summary>
public enum TransactionChannel
{
    /// <summary>Account to account.</summary>
    Transfer,
    /// <summary>A victim's payment into a (first-level mule) account: where the victim's loss enters the trail.</summary>
    VictimPayment,
    /// <summary>Cash paid into an account: the holder's own, untainted money.</summary>
    CashDeposit,
    CashWithdrawal,
    /// <summary>Sent abroad, to an exchange, or otherwise beyond reach.</summary>
    OutOfReach,
    Spent,
}

/// <summary>Bank transaction records were imported for a case (idempotent by transaction id).</summary>
public sealed record TransactionsImported(
    Guid ImportId,
    string CaseNumber,
    int Imported,
    int Duplicates,
    int Rejected,
    string Format,
    Actor ImportedBy,
    DateTimeOffset ImportedAt) : ICaseEvent;

/// <summary>How an outflow from a mixed account is attributed (domain-rules.md, Tracing); recorded with every trace.</summary>
public enum TraceRule
{
    Fifo,
    Lifo,
    ProRata,
    Libr,
    Poison,
    Haircut,
}

/// <summary>
/// An investigator asked for a trace of a case's money: the rule and the inputs it runs on. MinimumShare: shares below it
/// are not followed (null: none; events stored before it have none).
/// </summary>
public sealed record TraceRequested(
    Guid TraceId,
    string CaseNumber,
    TraceRule Rule,
    string Currency,
    IReadOnlyList<string>? VictimIds,
    int MaxHops,
    DateTimeOffset? From,
    DateTimeOffset? To,
    Actor RequestedBy,
    DateTimeOffset RequestedAt,
    decimal? MinimumShare = null) : ICaseEvent;

/// <summary>
/// A trace ran: the digest of its inputs (so it can be reproduced), its totals and, per victim, where their money is now
/// (so claims and the case ledger can show each victim's traced and frozen money without asking the freeze service).
/// </summary>
public sealed record TraceCompleted(
    Guid TraceId,
    string CaseNumber,
    TraceRule Rule,
    string Digest,
    int Transactions,
    int Victims,
    Money Loss,
    Money TracedRemaining,
    DateTimeOffset CompletedAt,
    IReadOnlyList<VictimTraced>? ByVictim = null) : ICaseEvent;

/// <summary>One victim's result in a trace: the loss paid in, and the money still held per account (Traced is their sum).</summary>
public sealed record VictimTraced(string VictimId, Money Loss, Money Traced, IReadOnlyList<TracedHolding> Holdings);

public sealed record TracedHolding(string Account, Money Amount);

public sealed record TraceFailed(Guid TraceId, string CaseNumber, string Reason, DateTimeOffset FailedAt) : ICaseEvent;
