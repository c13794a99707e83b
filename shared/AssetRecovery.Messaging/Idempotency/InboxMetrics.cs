using System.Diagnostics.Metrics;

namespace AssetRecovery.Messaging.Idempotency;

/// <summary>What the inbox kept from being handled twice, for operators (exported with the services' other metrics).</summary>
public static class InboxMetrics
{
    public const string MeterName = "AssetRecovery.Messaging";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>
    /// Deliveries of messages already handled (copies, and retries of one whose outbox failed to go out), tagged with their
    /// endpoint and when the inbox found them: "before_handling" (the lookup first) or "after_failure"
    /// (<see cref="InboxCheckPolicy"/>'s endpoints: the copy's handling or commit failed).
    /// </summary>
    public static readonly Counter<long> CopiesFound = Meter.CreateCounter<long>("assetrecovery.inbox.copies_found", "{message}",
        "Deliveries of messages already handled, found by the inbox; their handling is not committed again");
}
