namespace AssetRecovery.Contracts.Freeze;

// Scheduled by the freeze saga through the durable scheduler.

/// <summary>Fires when the bank's acknowledgement deadline passes.</summary>
public sealed record BankAcknowledgementDeadline(Guid FreezeId);

/// <summary>Fires some time before the hold expires.</summary>
public sealed record FreezeExpiryReminderDue(Guid FreezeId);

/// <summary>Fires when the hold's term ends.</summary>
public sealed record FreezeTermEnded(Guid FreezeId);

// Sent by the freeze saga to the freeze service, which records them on the freeze stream.

/// <summary>Record on the freeze that the bank is overdue.</summary>
public sealed record FlagFreezeAcknowledgementOverdue(Guid FreezeId, DateTimeOffset DueAt);

/// <summary>Record the expiry reminder for the term ending at ExpiresAt.</summary>
public sealed record IssueFreezeExpiryReminder(Guid FreezeId, DateTimeOffset ExpiresAt);

/// <summary>The term ending at ExpiresAt is over: let the hold lapse, unless it was renewed or ended meanwhile.</summary>
public sealed record LapseFreeze(Guid FreezeId, DateTimeOffset ExpiresAt);
