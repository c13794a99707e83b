namespace AssetRecovery.Freeze.Domain;

public sealed class FreezeOptions
{
    public const string Section = "Freeze";

    /// <summary>How long the bank has to report a stop-payment's execution before it is escalated.</summary>
    public TimeSpan StopPaymentAcknowledgementTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long the bank has to report a formal freeze's execution before it is escalated.</summary>
    public TimeSpan FreezeAcknowledgementTimeout { get; set; } = TimeSpan.FromHours(24);
}
