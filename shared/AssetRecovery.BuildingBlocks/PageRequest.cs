namespace AssetRecovery.BuildingBlocks;

/// <summary>A page of a list: 1-based number and size (at most <see cref="MaxSize"/>).</summary>
public readonly record struct PageRequest(int Number, int Size)
{
    public const int DefaultSize = 50;
    public const int MaxSize = 500;

    public int Skip => (Number - 1) * Size;

    public static PageRequest From(int? page, int? pageSize)
    {
        var v = new Validator();
        if (page is < 1) v.Add("page", "must be 1 or more.");
        if (pageSize is < 1 or > MaxSize) v.Add("pageSize", $"must be between 1 and {MaxSize}.");
        v.ThrowIfInvalid();
        return new PageRequest(page ?? 1, pageSize ?? DefaultSize);
    }
}
