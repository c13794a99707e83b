using AssetRecovery.Contracts.Freeze;

namespace AssetRecovery.Freeze.Domain;

/// <summary>The interception rules' figures (domain-rules.md); configuration, with the published values as defaults.</summary>
public sealed class FreezeOptions
{
    public const string Section = "Freeze";

    /// <summary>How long the bank has to report a stop-payment's execution before it is escalated.</summary>
    public TimeSpan StopPaymentAcknowledgementTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long the bank has to report a formal freeze's execution before it is escalated.</summary>
    public TimeSpan FreezeAcknowledgementTimeout { get; set; } = TimeSpan.FromHours(24);

    /// <summary>An emergency stop-payment lasts this long from execution.</summary>
    public int StopPaymentHours { get; set; } = 48;

    /// <summary>How many stop-payments one account may take in total.</summary>
    public int MaxStopPaymentsPerAccount { get; set; } = 2;

    /// <summary>Bank deposits, remittances, settlement funds, futures margin.</summary>
    public int DepositTermMonths { get; set; } = 6;

    /// <summary>Major or complex cases, with a senior approval recorded.</summary>
    public int MajorCaseTermMonths { get; set; } = 12;

    /// <summary>Bonds, stocks, fund shares.</summary>
    public int SecuritiesTermMonths { get; set; } = 24;

    public TimeSpan FreezeReminderBeforeExpiry { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan StopPaymentReminderBeforeExpiry { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Account number formats by bank code; empty means <see cref="BankAccountRules.Defaults"/>.</summary>
    public Dictionary<string, BankAccountFormat> Banks { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public TimeSpan AcknowledgementTimeout(FreezeKind kind) =>
        kind == FreezeKind.StopPayment ? StopPaymentAcknowledgementTimeout : FreezeAcknowledgementTimeout;

    public TimeSpan ReminderBeforeExpiry(FreezeKind kind) =>
        kind == FreezeKind.StopPayment ? StopPaymentReminderBeforeExpiry : FreezeReminderBeforeExpiry;

    public FreezeTerm TermFor(FreezeKind kind, FreezeAssetType assetType, bool majorCase) => kind switch
    {
        FreezeKind.StopPayment => new FreezeTerm(0, StopPaymentHours),
        _ when assetType is FreezeAssetType.Bonds or FreezeAssetType.Stocks or FreezeAssetType.FundShares => new FreezeTerm(SecuritiesTermMonths, 0),
        _ when majorCase => new FreezeTerm(MajorCaseTermMonths, 0),
        _ => new FreezeTerm(DepositTermMonths, 0),
    };
}

public static class FreezeTerms
{
    /// <summary>In UTC, so the same instant gives the same end whatever offset the bank reported it in.</summary>
    public static DateTimeOffset EndOf(this FreezeTerm term, DateTimeOffset start) =>
        start.ToUniversalTime().AddMonths(term.Months).AddHours(term.Hours);
}
