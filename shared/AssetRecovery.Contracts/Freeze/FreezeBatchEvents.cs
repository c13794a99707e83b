namespace AssetRecovery.Contracts.Freeze;

/// <summary>A bulk request was taken in: its valid rows wait to be processed, its invalid rows were refused at once.</summary>
public sealed record FreezeBatchSubmitted(Guid BatchId, int Rows, int Invalid, Actor SubmittedBy, DateTimeOffset SubmittedAt) : IDomainEvent;

/// <summary>Every valid row of the bulk request was processed: accepted (a freeze, new or repeated) or refused by a rule.</summary>
public sealed record FreezeBatchCompleted(Guid BatchId, int Accepted, int Refused, DateTimeOffset CompletedAt) : IDomainEvent;
