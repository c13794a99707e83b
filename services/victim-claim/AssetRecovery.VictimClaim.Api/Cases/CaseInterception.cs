using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts.Freeze;
using Marten;

namespace AssetRecovery.VictimClaim.Cases;

/// <summary>
/// What has been intercepted for a case, from the freeze service's relayed events: the totals as banks reported them,
/// summed over the case's <see cref="InterceptedHold"/> documents. There is no per-case document to rewrite: with one,
/// every event of a case rewrote it (1.6 MB per write at 10,000 freezes) and the case's events had to be taken one at
/// a time.
/// </summary>
public sealed record CaseInterception(string CaseNumber, int AccountsFrozen, IReadOnlyDictionary<string, decimal> Frozen, DateTimeOffset? UpdatedAt)
{
    public static CaseInterception Of(string caseNumber, IEnumerable<InterceptedHold> holds)
    {
        var (accounts, frozen, updatedAt) = (0, new Dictionary<string, decimal>(StringComparer.Ordinal), (DateTimeOffset?)null);
        foreach (var hold in holds)
        {
            accounts += hold.Executions;
            if (hold.Executions > 0) frozen[hold.Currency] = frozen.GetValueOrDefault(hold.Currency) + hold.Executed;
            if (updatedAt is null || hold.UpdatedAt > updatedAt) updatedAt = hold.UpdatedAt;
        }
        return new CaseInterception(caseNumber, accounts, frozen, updatedAt);
    }

    /// <summary>The case's holds as stored, with the ones a consumer has just changed (staged, not committed) in their place.</summary>
    public static async Task<List<InterceptedHold>> HoldsAsync(IQuerySession session, string caseNumber, CancellationToken ct,
        InterceptedHold? changed = null)
    {
        var holds = (await session.Query<InterceptedHold>().Where(h => h.CaseNumber == caseNumber).ToListAsync(ct)).ToList();
        if (changed is null) return holds;
        holds.RemoveAll(h => h.Id == changed.Id);
        holds.Add(changed);
        return holds;
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
    /// <summary>Known once the bank's execution arrived (holds made before executions named it took it from the request).</summary>
    public string? Account { get; set; }
    public string Currency { get; set; } = "";
    public decimal Executed { get; set; }
    public decimal Released { get; set; }
    public decimal HandedOver { get; set; }
    /// <summary>Lapsed: what was still frozen went back to the holder; what seizure took stays secured.</summary>
    public bool Lapsed { get; set; }
    /// <summary>Executions the bank reported (each counts as an account frozen).</summary>
    public int Executions { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public decimal StillFrozen => Lapsed ? 0m : Math.Max(0m, Executed - Released - HandedOver);
    public decimal Secured => StillFrozen + HandedOver;

    public void Apply(object change)
    {
        switch (change)
        {
            case FreezeExecutedByBank e:
                if (e.AccountNumber is { } account) Account = Identifiers.Compact(account);
                Currency = e.FrozenAmount.Currency;
                Executed += e.FrozenAmount.Amount;
                Executions++;
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
        if (Describe(change).At > UpdatedAt) UpdatedAt = Describe(change).At;
    }

    /// <summary>The freeze the event is about.</summary>
    public static Guid FreezeIdOf(object change) => Describe(change).FreezeId;

    private static (Guid FreezeId, DateTimeOffset At) Describe(object change) => change switch
    {
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
