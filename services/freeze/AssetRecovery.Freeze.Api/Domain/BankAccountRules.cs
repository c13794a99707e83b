using AssetRecovery.BuildingBlocks;
using Microsoft.Extensions.Options;

namespace AssetRecovery.Freeze.Domain;

/// <summary>The account number format a bank uses: digits only, of one of these lengths.</summary>
public sealed class BankAccountFormat
{
    public int[] DigitLengths { get; set; } = [];
}

/// <summary>
/// Account checks by bank code: a configured bank's numbers must be digits of one of its lengths; any other bank gets
/// the generic check (characters, length, IBAN check digits). Configured under Freeze:Banks.
/// </summary>
public sealed class BankAccountRules(IOptions<FreezeOptions> options)
{
    public static readonly IReadOnlyDictionary<string, BankAccountFormat> Defaults = new Dictionary<string, BankAccountFormat>(StringComparer.OrdinalIgnoreCase)
    {
        ["ICBC"] = new() { DigitLengths = [16, 19] },
        ["ABC"] = new() { DigitLengths = [16, 19] },
        ["BOC"] = new() { DigitLengths = [16, 19] },
        ["CCB"] = new() { DigitLengths = [16, 19] },
        ["BOCOM"] = new() { DigitLengths = [16, 17, 19] },
        ["CMB"] = new() { DigitLengths = [16] },
        ["PSBC"] = new() { DigitLengths = [16, 19] },
    };

    public void Validate(Validator v, string field, string? bankCode, string? accountNumber)
    {
        var formats = options.Value.Banks.Count > 0 ? options.Value.Banks : Defaults;
        if (bankCode is null || !formats.TryGetValue(bankCode.Trim(), out var format) || format.DigitLengths.Length == 0)
        {
            AccountNumbers.Validate(v, field, accountNumber);
            return;
        }
        if (string.IsNullOrWhiteSpace(accountNumber)) { v.Add(field, "is required."); return; }
        var normalized = AccountNumbers.Normalize(accountNumber);
        if (!normalized.All(char.IsAsciiDigit) || !format.DigitLengths.Contains(normalized.Length))
            v.Add(field, $"must be {string.Join(" or ", format.DigitLengths)} digits for bank {bankCode.Trim()}.");
    }
}
