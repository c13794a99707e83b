namespace AssetRecovery.BuildingBlocks;

/// <summary>Account and document numbers as compared everywhere: without spaces or hyphens, in upper case.</summary>
public static class Identifiers
{
    public static string Compact(string value) => string.Concat(value.Where(c => c is not (' ' or '-'))).ToUpperInvariant();
}
