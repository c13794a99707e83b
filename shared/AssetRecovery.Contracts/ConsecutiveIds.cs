namespace AssetRecovery.Contracts;

/// <summary>
/// Ids that follow one another: the id <c>offset</c> places after a first one, counted in its last 62 bits (those after
/// the variant), which wrap around; the version and the timestamp of a version 7 id stay as they are. A round's payment
/// ids are made so, and its events then name the first instead of listing them all (<see cref="Restitution.RoundAllocationsJson"/>).
/// </summary>
public static class ConsecutiveIds
{
    private const ulong LowBits = (1UL << 62) - 1;

    public static Guid At(Guid first, int offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        Span<byte> bytes = stackalloc byte[16];
        first.TryWriteBytes(bytes, bigEndian: true, out _);
        var tail = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        tail = (tail & ~LowBits) | ((tail + (ulong)offset) & LowBits);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], tail);
        return new Guid(bytes, bigEndian: true);
    }
}
