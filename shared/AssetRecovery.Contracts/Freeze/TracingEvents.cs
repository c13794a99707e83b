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
