using AssetRecovery.Contracts;

namespace AssetRecovery.BuildingBlocks;

/// <summary>Running totals of money per currency (never mixed across currencies), as read models keep them.</summary>
public static class MoneyTotals
{
    public static void Add(this Dictionary<string, decimal> totals, Money money) =>
        totals[money.Currency] = totals.GetValueOrDefault(money.Currency) + money.Amount;

    /// <summary>The totals as money, by currency code.</summary>
    public static IReadOnlyList<Money> ToMoney(this IReadOnlyDictionary<string, decimal> totals) =>
        totals.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new Money(t.Value, t.Key)).ToList();
}
