using System.Net;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Clients.VictimClaim;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.IntegrationTests.Freeze;
using AssetRecovery.IntegrationTests.Infrastructure;

namespace AssetRecovery.IntegrationTests.VictimClaim;

/// <summary>Valid claims to start from, and a traced and frozen case whose figures are worked out by hand.</summary>
public static class ClaimRequests
{
    public const string IdNumber = "440301199001011234";

    public static FileClaimRequest Valid(decimal amount = 600.00m, string? caseNumber = null, string toAccount = TracedCase.MuleOne) => new(
        FullName: "Li Hua",
        IdNumber: IdNumber,
        Email: "li.hua@example.cn",
        Phone: null,
        Payments: [new LostPaymentInput(DateTimeOffset.Parse("2026-03-01T09:00:00Z"), amount, "CNY", "6217000000000000001", toAccount, "T1")],
        ReturnAccount: new ReturnAccountInput("China Construction Bank", "6217000000000000001", "Li Hua"),
        CaseNumber: caseNumber,
        Description: "A caller posing as the police told me to move my savings to a 'safe account'.");
}

/// <summary>
/// Victims A (600.00) and B (400.00) pay into mule one; 500.00 moves on to mule two. Pro rata, A's money is 300.00 in
/// each mule and B's 200.00 in each. The bank freezes mule one in full (500.00) and mule two in part (350.01).
/// Frozen per victim, by largest remainder in fen: mule two 35001 × 3/5 = 21000.6 and × 2/5 = 14000.4, the spare fen to
/// the larger remainder (A): A 210.01 + 300.00 = 510.01, B 140.00 + 200.00 = 340.00; together 850.01, all that is frozen.
/// </summary>
public static class TracedCase
{
    public const string MuleOne = "6222020200000000001";
    public const string MuleTwo = "6222020200000000002";

    public static async Task<(Guid MuleOneFreeze, Guid MuleTwoFreeze)> TraceAndFreezeAsync(ITracingApi tracing, IFreezeApi liaison, string caseNumber)
    {
        var t0 = DateTimeOffset.Parse("2026-03-01T09:00:00Z");
        var import = await tracing.ImportAsync(caseNumber, new ImportTransactionsRequest([
            new TransactionRecord("T1", t0, "6217000000000000001", MuleOne, 600.00m, "CNY", TransactionChannel.VictimPayment, "A"),
            new TransactionRecord("T2", t0.AddMinutes(5), "6217000000000000002", MuleOne, 400.00m, "CNY", TransactionChannel.VictimPayment, "B"),
            new TransactionRecord("T3", t0.AddMinutes(30), MuleOne, MuleTwo, 500.00m, "CNY", TransactionChannel.Transfer),
        ]));
        Assert.True(import.IsSuccessStatusCode, import.ErrorContent());
        var started = await tracing.RunAsync(caseNumber, new RunTraceRequest(TraceRule.ProRata));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        await Eventually.Until(async () => (await tracing.GetAsync(started.Content!.TraceId)).Content!.Status, s => s == "Completed",
            what: "the trace to complete");

        var one = await FreezeAsync(liaison, caseNumber, MuleOne, 500.00m, BankExecutionOutcome.FrozenInFull, 500.00m);
        var two = await FreezeAsync(liaison, caseNumber, MuleTwo, 500.00m, BankExecutionOutcome.FrozenInPart, 350.01m);
        return (one, two);
    }

    public static async Task<Guid> FreezeAsync(IFreezeApi liaison, string caseNumber, string account, decimal asked,
        BankExecutionOutcome outcome, decimal frozen)
    {
        var submitted = await liaison.SubmitAsync(FreezeRequests.Valid(caseNumber, asked) with
        {
            AccountNumber = account, LegalDocumentReference = $"SZPD-FRZ-{account[^4..]}",
        });
        Assert.True(submitted.StatusCode == HttpStatusCode.Created, submitted.ErrorContent());
        var freezeId = submitted.Content!.FreezeId;
        var executed = await liaison.RecordBankExecutionAsync(freezeId,
            new RecordBankExecutionRequest(outcome, FrozenAmount: frozen, BalanceAtExecution: frozen, BankReference: $"ICBC-{account[^4..]}"));
        Assert.True(executed.IsSuccessStatusCode, executed.ErrorContent());
        return freezeId;
    }
}
