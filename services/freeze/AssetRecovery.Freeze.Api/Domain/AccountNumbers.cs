using System.Numerics;
using AssetRecovery.BuildingBlocks;

namespace AssetRecovery.Freeze.Domain;

/// <summary>Account number checks that need no bank lookup: characters, length, and IBAN check digits where it is an IBAN.</summary>
public static class AccountNumbers
{
    public static string Normalize(string accountNumber) => Identifiers.Compact(accountNumber);

    /// <summary>Bank codes compare without case or padding: "icbc " and "ICBC" are one bank (and one account stream).</summary>
    public static string NormalizeBankCode(string bankCode) => bankCode.Trim().ToUpperInvariant();

    public static void Validate(Validator v, string field, string? accountNumber)
    {
        if (string.IsNullOrWhiteSpace(accountNumber)) { v.Add(field, "is required."); return; }
        var normalized = Normalize(accountNumber);
        if (normalized.Length is < 6 or > 34) { v.Add(field, "must be 6 to 34 characters (spaces and dashes ignored)."); return; }
        if (!normalized.All(char.IsAsciiLetterOrDigit)) { v.Add(field, "may contain only letters A-Z and digits."); return; }
        if (LooksLikeIban(normalized) && !HasValidIbanCheckDigits(normalized))
            v.Add(field, "is an IBAN whose check digits are wrong.");
        else if (!LooksLikeIban(normalized) && !normalized.All(char.IsAsciiDigit))
            v.Add(field, "must be digits only unless it is an IBAN.");
    }

    private static bool LooksLikeIban(string s) =>
        s.Length >= 15 && char.IsAsciiLetter(s[0]) && char.IsAsciiLetter(s[1]) && char.IsAsciiDigit(s[2]) && char.IsAsciiDigit(s[3]);

    /// <summary>ISO 13616: move the first four characters to the end, letters to numbers (A=10), remainder mod 97 must be 1.</summary>
    public static bool HasValidIbanCheckDigits(string iban)
    {
        var rearranged = iban[4..] + iban[..4];
        var digits = string.Concat(rearranged.Select(c => char.IsAsciiDigit(c) ? c.ToString() : (c - 'A' + 10).ToString()));
        return BigInteger.Parse(digits) % 97 == 1;
    }
}
