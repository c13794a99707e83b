using System.Collections.Immutable;
using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts.Freeze;

namespace AssetRecovery.Freeze.Domain;

public enum HoldState
{
    /// <summary>Occupies the account: awaiting the bank or frozen.</summary>
    Active,
    Queued,
    Ended,
}

public sealed record AccountHold(
    Guid FreezeId, string CaseNumber, FreezeKind Kind, string LegalDocumentReference, HoldState State, DateTimeOffset RegisteredAt,
    string? EndReason = null);

/// <summary>
/// Every hold on one bank account across cases, in the order they were registered (the queue order). One stream per
/// account; requests for the same account serialise on its version.
/// </summary>
public sealed record AccountHolds
{
    public Guid Id { get; init; }
    public int Version { get; init; }
    public required string BankCode { get; init; }
    public required string AccountNumber { get; init; }
    public ImmutableList<AccountHold> Holds { get; init; } = [];

    /// <summary>The account's stream id: derived from bank and account so every request finds the same stream.</summary>
    public static Guid StreamIdFor(string bankCode, string accountNumber) =>
        NameBasedIds.For($"assetrecovery/account/{AccountNumbers.NormalizeBankCode(bankCode)}/{AccountNumbers.Normalize(accountNumber)}");

    public static AccountHolds Create(AccountHoldRegistered e) => new AccountHolds
    {
        Id = StreamIdFor(e.BankCode, e.AccountNumber),
        BankCode = e.BankCode,
        AccountNumber = e.AccountNumber,
    }.Apply(e);

    public AccountHolds Apply(AccountHoldRegistered e) => this with
    {
        Holds = Holds.Add(new AccountHold(e.FreezeId, e.CaseNumber, e.Kind, e.LegalDocumentReference,
            e.Queued ? HoldState.Queued : HoldState.Active, e.RegisteredAt)),
    };

    public AccountHolds Apply(AccountHoldActivated e) => With(e.FreezeId, h => h with { State = HoldState.Active });

    public AccountHolds Apply(AccountHoldEnded e) => With(e.FreezeId, h => h with { State = HoldState.Ended, EndReason = e.Reason });

    public IEnumerable<AccountHold> ActiveHolds => Holds.Where(h => h.State == HoldState.Active);

    /// <summary>The next queued hold, first registered first.</summary>
    public AccountHold? NextQueued => Holds.FirstOrDefault(h => h.State == HoldState.Queued);

    private AccountHolds With(Guid freezeId, Func<AccountHold, AccountHold> change)
    {
        var index = Holds.FindIndex(h => h.FreezeId == freezeId);
        return index < 0 ? this : this with { Holds = Holds.SetItem(index, change(Holds[index])) };
    }
}
