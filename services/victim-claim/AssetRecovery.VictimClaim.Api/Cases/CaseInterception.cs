using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts.Freeze;

namespace AssetRecovery.VictimClaim.Cases;

/// <summary>
/// What has been intercepted for a case, from the freeze service's relayed events: totals as banks reported them, and
/// per freeze the account and how much of it is still secured (frozen, or handed over to seizure's custody).
/// </summary>
public sealed class CaseInterception
{
    public string Id { get; set; } = "";
    public int AccountsFrozen { get; set; }
    /// <summary>Frozen by banks, per currency, as executed (releases and lapses do not lower it).</summary>
    public Dictionary<string, decimal> Frozen { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<Guid, InterceptedHold> Holds { get; set; } = [];
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>
    /// Each event adds to its own figure, so the holds come out the same in whatever order the events arrive; the inbox
    /// drops a redelivered event.
    /// </summary>
    public void Apply(object change)
    {
        switch (change)
        {
            case FreezeRequested e:
                Hold(e.FreezeId).Account = Identifiers.Compact(e.AccountNumber);
                Hold(e.FreezeId).Currency = e.Currency;
                Touch(e.RequestedAt);
                break;
            case FreezeExecutedByBank e:
                AccountsFrozen++;
                Frozen.Add(e.FrozenAmount);
                Hold(e.FreezeId).Currency = e.FrozenAmount.Currency;
                Hold(e.FreezeId).Executed += e.FrozenAmount.Amount;
                Touch(e.RecordedAt);
                break;
            case FreezeReleased e:
                Hold(e.FreezeId).Released += e.Released.Amount;
                Touch(e.ReleasedAt);
                break;
            case FreezeHandedOverToSeizure e:
                Hold(e.FreezeId).HandedOver += e.HandedOver.Amount;
                Touch(e.HandedOverAt);
                break;
            case FreezeLapsed e:
                Hold(e.FreezeId).Lapsed = true;
                Touch(e.LapsedAt);
                break;
            default:
                throw new ArgumentException($"{change.GetType().Name} does not change an interception.", nameof(change));
        }
    }

    /// <summary>Money secured per account (normalised number) in one currency.</summary>
    public Dictionary<string, decimal> SecuredByAccount(string currency)
    {
        var secured = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var hold in Holds.Values)
            if (hold.Account is { } account && hold.Currency == currency && hold.Secured > 0m)
                secured[account] = secured.GetValueOrDefault(account) + hold.Secured;
        return secured;
    }

    private InterceptedHold Hold(Guid freezeId)
    {
        if (!Holds.TryGetValue(freezeId, out var hold)) Holds[freezeId] = hold = new InterceptedHold();
        return hold;
    }

    private void Touch(DateTimeOffset at)
    {
        if (at > UpdatedAt) UpdatedAt = at;
    }
}

public sealed class InterceptedHold
{
    /// <summary>Known once the request's event arrived.</summary>
    public string? Account { get; set; }
    public string Currency { get; set; } = "";
    public decimal Executed { get; set; }
    public decimal Released { get; set; }
    public decimal HandedOver { get; set; }
    /// <summary>Lapsed: what was still frozen went back to the holder; what seizure took stays secured.</summary>
    public bool Lapsed { get; set; }

    public decimal StillFrozen => Lapsed ? 0m : Math.Max(0m, Executed - Released - HandedOver);
    public decimal Secured => StillFrozen + HandedOver;
}
