using System.Diagnostics.Metrics;

namespace AssetRecovery.Messaging.Idempotency;

/// <summary>What the inbox kept from being handled twice, for operators (exported with the services' other metrics).</summary>
public static class InboxMetrics
{
    public const string MeterName = "AssetRecovery.Messaging";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>
    /// Copies of messages handled before, tagged with their endpoint and when the inbox found them: "before handling" (the
    /// lookup first) or "after a failure" (<see cref="InboxCheckPolicy"/>'s endpoints: the copy's commit or handling failed).
    /// </summary>
    public static readonly Counter<long> CopiesFound = Meter.CreateCounter<long>("assetrecovery.inbox.copies_found", "{message}",
        "Copies of messages already handled, found by the inbox and not handled again");
}
