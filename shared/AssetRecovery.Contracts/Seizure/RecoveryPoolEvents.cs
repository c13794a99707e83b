namespace AssetRecovery.Contracts.Seizure;

/// <summary>Where money in a case's recovery pool came from.</summary>
public enum RecoveryPoolCreditSource
{
    /// <summary>Frozen money taken into custody (a seizure).</summary>
    SeizedFrozenFunds,
    /// <summary>Net proceeds of an asset sold or auctioned.</summary>
    DisposalProceeds,
}

/// <summary>Money entered the case's recovery pool; SourceId is the seizure or the asset it came from.</summary>
public sealed record RecoveryPoolCredited(
    string CaseNumber,
    Money Amount,
    RecoveryPoolCreditSource Source,
    Guid SourceId,
    string Explanation,
    Actor By,
    DateTimeOffset At) : ICaseEvent;

/// <summary>Money left the pool on an instruction from restitution (one debit per instruction id).</summary>
public sealed record RecoveryPoolDebited(
    string CaseNumber,
    Guid InstructionId,
    Money Amount,
    string InstructionReference,
    string Reason,
    Actor InstructedBy,
    DateTimeOffset At) : ICaseEvent;

/// <summary>An instruction to debit the pool was refused (more than the balance, or not valid); the balance is unchanged.</summary>
public sealed record RecoveryPoolDebitRefused(
    string CaseNumber,
    Guid InstructionId,
    Money Amount,
    Money Balance,
    string Rule,
    string Detail,
    Actor InstructedBy,
    DateTimeOffset At) : ICaseEvent;

/// <summary>
/// Command from the restitution service: pay Amount out of the case's recovery pool. InstructionId makes it idempotent:
/// an instruction already debited or refused is not acted on again. The outcome is RecoveryPoolDebited or
/// RecoveryPoolDebitRefused on the pool stream (relayed to the broker).
/// </summary>
public sealed record DebitRecoveryPool(
    Guid InstructionId,
    string CaseNumber,
    Money Amount,
    string InstructionReference,
    string Reason,
    Actor InstructedBy);
