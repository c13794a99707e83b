namespace AssetRecovery.Contracts.Freeze;

/// <summary>Scheduled by the freeze saga; fires when the bank's acknowledgement deadline passes.</summary>
public sealed record BankAcknowledgementDeadline(Guid FreezeId);

/// <summary>Sent by the freeze saga to the freeze service: record on the freeze that the bank is overdue.</summary>
public sealed record FlagFreezeAcknowledgementOverdue(Guid FreezeId, DateTimeOffset DueAt);
