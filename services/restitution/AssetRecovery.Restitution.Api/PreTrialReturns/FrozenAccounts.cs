using AssetRecovery.Contracts.Freeze;
using Marten;

namespace AssetRecovery.Restitution.PreTrialReturns;

/// <summary>A freeze as restitution reads it from the shared event store: the account and what it holds now.</summary>
public sealed record FrozenAccount(Guid FreezeId, string CaseNumber, string BankCode, string AccountNumber, string Currency, bool IsFrozen,
    decimal Frozen, string Status);

/// <summary>
/// Reads a freeze's stream (written by the freeze service; every contract event type is known to every service's store)
/// and folds it to what is frozen now. Read-only: only the freeze service changes a freeze.
/// </summary>
public static class FrozenAccounts
{
    public static async Task<FrozenAccount?> LoadAsync(IQuerySession session, Guid freezeId, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(freezeId, token: ct);
        FrozenAccount? account = null;
        foreach (var e in events)
        {
            account = e.Data switch
            {
                FreezeRequested r => new FrozenAccount(r.FreezeId, r.CaseNumber, r.BankCode, r.AccountNumber, r.Currency, false, 0m, "Requested"),
                FreezeExecutedByBank x when account is not null => account with { IsFrozen = true, Frozen = x.FrozenAmount.Amount, Status = x.Outcome.ToString() },
                FreezeReleased x when account is not null => account with { Frozen = x.Remaining.Amount, IsFrozen = !x.Whole, Status = x.Whole ? "Released" : account.Status },
                FreezeHandedOverToSeizure x when account is not null =>
                    account with { Frozen = x.Remaining.Amount, IsFrozen = !x.Whole, Status = x.Whole ? "HandedOverToSeizure" : account.Status },
                FreezeRejectedByBank when account is not null => account with { IsFrozen = false, Frozen = 0m, Status = "RejectedByBank" },
                FreezeLapsed when account is not null => account with { IsFrozen = false, Frozen = 0m, Status = "Lapsed" },
                StopPaymentConverted when account is not null => account with { IsFrozen = false, Frozen = 0m, Status = "Converted" },
                _ => account,
            };
        }
        return account;
    }
}
