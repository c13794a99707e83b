using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts.Freeze;

namespace AssetRecovery.VictimClaim.Cases;

/// <summary>
/// What has been intercepted for a case, from the freeze service's relayed events: the totals as banks reported them.
/// Each freeze's own figures are an <see cref="InterceptedHold"/> document, so an event rewrites one small document
/// and not a case's thousands of holds (a case of 10,000 freezes made each event rewrite 1.6 MB).
/// </summary>
public sealed class CaseInterception
{
    public string Id { get; set; } = "";
    public int AccountsFrozen { get; set; }
    /// <summary>Frozen by banks, per currency, as executed (releases and lapses do not lower it).</summary>
    public Dictionary<string, decimal> Frozen { get; set; } = new(StringComparer.Ordinal);
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Only a bank's execution adds to the totals; every event moves the time of the last change.</summary>
    public void Apply(object change)
    {
        if (change is FreezeExecutedByBank e)
        {
            AccountsFrozen++;
            Frozen.Add(e.FrozenAmount);
        }
        var at = InterceptedHold.TimeOf(change);
        if (at > UpdatedAt) UpdatedAt = at;
    }
}

/// <summary>
/// One freeze of a case: its account and how much of it is still secured (frozen, or handed over to seizure's custody).
/// Each event adds to its own figure, so a hold comes out the same in whatever order its events arrive; the inbox drops
/// a redelivered event.
/// </summary>
public sealed class InterceptedHold
{
    /// <summary>The freeze's id.</summary>
    public Guid Id { get; set; }
    public string CaseNumber { get; set; } = "";
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

    public void Apply(object change)
    {
        switch (change)
        {
            case FreezeRequested e:
                Account = Identifiers.Compact(e.AccountNumber);
                Currency = e.Currency;
                break;
            case FreezeExecutedByBank e:
                Currency = e.FrozenAmount.Currency;
                Executed += e.FrozenAmount.Amount;
                break;
            case FreezeReleased e:
                Released += e.Released.Amount;
                break;
            case FreezeHandedOverToSeizure e:
                HandedOver += e.HandedOver.Amount;
                break;
            case FreezeLapsed:
                Lapsed = true;
                break;
            default:
                throw new ArgumentException($"{change.GetType().Name} does not change an interception.", nameof(change));
        }
    }

    /// <summary>When the event happened.</summary>
    public static DateTimeOffset TimeOf(object change) => Describe(change).At;

    /// <summary>The freeze the event is about.</summary>
    public static Guid FreezeIdOf(object change) => Describe(change).FreezeId;

    private static (Guid FreezeId, DateTimeOffset At) Describe(object change) => change switch
    {
        FreezeRequested e => (e.FreezeId, e.RequestedAt),
        FreezeExecutedByBank e => (e.FreezeId, e.RecordedAt),
        FreezeReleased e => (e.FreezeId, e.ReleasedAt),
        FreezeHandedOverToSeizure e => (e.FreezeId, e.HandedOverAt),
        FreezeLapsed e => (e.FreezeId, e.LapsedAt),
        _ => throw new ArgumentException($"{change.GetType().Name} does not change an interception.", nameof(change)),
    };

    /// <summary>Money secured per account (normalised number) in one currency.</summary>
    public static Dictionary<string, decimal> SecuredByAccount(IEnumerable<InterceptedHold> holds, string currency)
    {
        var secured = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var hold in holds)
            if (hold.Account is { } account && hold.Currency == currency && hold.Secured > 0m)
                secured[account] = secured.GetValueOrDefault(account) + hold.Secured;
        return secured;
    }
}
