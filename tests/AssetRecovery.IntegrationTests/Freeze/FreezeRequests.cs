using AssetRecovery.Clients.Freeze;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.ServiceDefaults;

namespace AssetRecovery.IntegrationTests.Freeze;

/// <summary>Valid requests to start from; each test changes what it is about.</summary>
public static class FreezeRequests
{
    public static SubmitFreezeRequest Valid(string caseNumber, decimal amount = 50_000.00m, FreezeKind kind = FreezeKind.Freeze) => new(
        CaseNumber: caseNumber,
        Kind: kind,
        BankCode: "ICBC",
        AccountNumber: "6222020200112233445",
        AccountHolderName: "Zhang San",
        Currency: "CNY",
        Amount: amount,
        WholeBalance: false,
        LegalDocumentReference: "SZPD-FRZ-2024-881",
        Reason: "Proceeds of telecom fraud paid in by victims");

    public static string NewCaseNumber() => $"SZ-2026-{Random.Shared.Next(100000, 999999)}";

    /// <summary>A freeze request as the freeze service records it, for tests that drive the bus or the store directly.</summary>
    public static FreezeRequested Event(Guid freezeId, string reason, FreezeKind kind = FreezeKind.Freeze) => new(freezeId, NewCaseNumber(), kind,
        "ICBC", "6222020200112233445", "Zhang San", "CNY", kind == FreezeKind.StopPayment ? null : 100m, $"DOC-{reason}", reason,
        DateTimeOffset.UtcNow.AddHours(1), new Actor("t", "t", Roles.BankLiaison), DateTimeOffset.UtcNow);

    /// <summary>A bank's execution as the freeze service records it.</summary>
    public static FreezeExecutedByBank Executed(string caseNumber, decimal amount) => new(Guid.NewGuid(), caseNumber,
        BankExecutionOutcome.FrozenInFull, new Money(amount, "CNY"), null, DateTimeOffset.UtcNow, null, new Actor("t", "t", Roles.BankLiaison),
        DateTimeOffset.UtcNow, AccountNumber: "6222020200112233445");
}
