using System.Text.RegularExpressions;

namespace AssetRecovery.ServiceDefaults;

/// <summary>Masks what must not reach logs or traces in full: bank account numbers and identity card numbers.</summary>
public static partial class SensitiveData
{
    /// <summary>
    /// Every run of 8 or more digits (an account number is 16 to 19, a resident ID number 18, perhaps ending in X) keeps
    /// only its last 4 characters: enough to tell two accounts apart in a log, not enough to use one.
    /// </summary>
    public static string Mask(string? text) =>
        string.IsNullOrEmpty(text) ? text ?? "" : LongNumber().Replace(text, m => new string('*', m.Length - 4) + m.Value[^4..]);

    [GeneratedRegex(@"(?<![0-9])[0-9]{7,}[0-9Xx](?![0-9A-Za-z])")]
    private static partial Regex LongNumber();
}
