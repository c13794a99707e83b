using AssetRecovery.BuildingBlocks;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Contracts.Freeze;

namespace AssetRecovery.Freeze.Features.Tracing;

/// <summary>An imported bank transaction of a case; its id is the case and the bank's transaction id.</summary>
public sealed record CaseTransaction
{
    public required string Id { get; init; }
    public required string CaseNumber { get; init; }
    public required string TransactionId { get; init; }
    public DateTimeOffset Timestamp { get; init; }
    public string? FromAccount { get; init; }
    public string? ToAccount { get; init; }
    public decimal Amount { get; init; }
    public required string Currency { get; init; }
    public TransactionChannel Channel { get; init; }
    public string? VictimId { get; init; }
    public Guid ImportId { get; init; }

    public static string IdFor(string caseNumber, string transactionId) => $"{caseNumber}|{transactionId}";

    /// <summary>Same record as another import of it (the import it came with aside).</summary>
    public bool SameDetailsAs(CaseTransaction other) => this with { ImportId = other.ImportId } == other;
}

/// <summary>Checks one record: what each channel needs, amounts and currencies as everywhere.</summary>
public static class TransactionRecords
{
    public static CaseTransaction? Validate(string caseNumber, TransactionRecord record, Guid importId, out Dictionary<string, string[]>? errors)
    {
        var v = new Validator()
            .Required("transactionId", record.TransactionId, 64)
            .Currency("currency", record.Currency)
            .PositiveAmount("amount", record.Amount, record.Currency);
        if (record.Timestamp is null) v.Add("timestamp", "is required.");
        if (record.Channel is null) v.Add("channel", $"is required ({string.Join(", ", Enum.GetNames<TransactionChannel>())}).");
        var needsFrom = record.Channel is TransactionChannel.Transfer or TransactionChannel.CashWithdrawal or TransactionChannel.OutOfReach or TransactionChannel.Spent;
        var needsTo = record.Channel is TransactionChannel.Transfer or TransactionChannel.VictimPayment or TransactionChannel.CashDeposit;
        if (needsFrom) v.Required("fromAccount", record.FromAccount, 64);
        else if (record.FromAccount is not null && record.Channel != TransactionChannel.VictimPayment)
            v.Add("fromAccount", $"must be empty for {record.Channel}.");
        if (needsTo) v.Required("toAccount", record.ToAccount, 64);
        else if (record.ToAccount is not null) v.Add("toAccount", $"must be empty for {record.Channel}.");
        if (record.Channel == TransactionChannel.Transfer && record.FromAccount is not null && record.FromAccount == record.ToAccount)
            v.Add("toAccount", "must differ from fromAccount.");
        if (record.Channel == TransactionChannel.VictimPayment) v.Required("victimId", record.VictimId, 64);
        else if (record.VictimId is not null) v.Add("victimId", "is only for VictimPayment records.");

        errors = null;
        if (!v.IsValid)
        {
            try { v.ThrowIfInvalid(); }
            catch (RequestValidationException invalid) { errors = invalid.Errors.ToDictionary(); }
            return null;
        }
        return new CaseTransaction
        {
            Id = CaseTransaction.IdFor(caseNumber, record.TransactionId!.Trim()),
            CaseNumber = caseNumber,
            TransactionId = record.TransactionId.Trim(),
            Timestamp = record.Timestamp!.Value.ToUniversalTime(),
            FromAccount = record.FromAccount?.Trim(),
            ToAccount = record.ToAccount?.Trim(),
            Amount = record.Amount!.Value,
            Currency = record.Currency!,
            Channel = record.Channel!.Value,
            VictimId = record.VictimId?.Trim(),
            ImportId = importId,
        };
    }
}
