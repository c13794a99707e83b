namespace AssetRecovery.BuildingBlocks;

/// <summary>Identity document numbers: compared and stored without spaces or hyphens, shown with all but the last four masked.</summary>
public static class IdNumbers
{
    public static string Normalize(string? value) => Identifiers.Compact(value ?? "");

    public static bool IsWellFormed(string normalized) =>
        normalized.Length is >= 6 and <= 32 && normalized.All(char.IsAsciiLetterOrDigit);

    public static string Mask(string normalized) =>
        new string('*', Math.Max(0, normalized.Length - 4)) + normalized[Math.Max(0, normalized.Length - 4)..];
}
