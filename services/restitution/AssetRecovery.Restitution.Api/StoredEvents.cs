using Marten;

namespace AssetRecovery.Restitution;

/// <summary>The shared store's events table as SQL names it, for reads that take parts of events in PostgreSQL.</summary>
public static class StoredEvents
{
    public static string Table(IReadOnlyStoreOptions options) => $"{options.Events.DatabaseSchemaName}.mt_events";

    /// <summary>The event's name in the table's type column.</summary>
    public static string TypeName<TEvent>(IReadOnlyStoreOptions options) =>
        options.Events.AllKnownEventTypes().Single(t => t.EventType == typeof(TEvent)).EventTypeName;
}
