using MassTransit;

namespace AssetRecovery.Contracts;

/// <summary>An amount of money: exact decimal in the currency's major unit plus its ISO 4217 code.</summary>
public sealed record Money(decimal Amount, string Currency);

/// <summary>
/// An identity document number: ciphertext only (the writing service's data-protection keys decrypt it) and a masked
/// form for display. The plain number never enters the event store.
/// </summary>
public sealed record ProtectedIdNumber(string Ciphertext, string Masked);

/// <summary>Who did something: the token subject, a readable name and the role they acted in.</summary>
public sealed record Actor(string Subject, string Name, string Role);

/// <summary>An event of the shared event store, relayed to the broker by the service that wrote it.</summary>
[ExcludeFromTopology]
public interface IDomainEvent;

/// <summary>
/// An event kept in the event store only, not relayed to the broker: its readers read the store, and it is too large
/// to be a message (a round's 100,000 allocations; docs/benchmarks, finding 23).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class NotRelayedAttribute : Attribute;

/// <summary>
/// A domain event that belongs to one police case, so any service can project it per case (the case ledger).
/// Not a message type of its own on the broker.
/// </summary>
[ExcludeFromTopology]
public interface ICaseEvent : IDomainEvent
{
    string CaseNumber { get; }
}
