using AssetRecovery.Clients.Freeze;
using AssetRecovery.Contracts.Freeze;

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
}
