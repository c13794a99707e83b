using System.Security.Cryptography;

namespace AssetRecovery.BuildingBlocks;

/// <summary>Many version 7 ids at once, as <see cref="Guid.CreateVersion7(DateTimeOffset)"/> makes them one at a time.</summary>
public static class TimeOrderedIds
{
    /// <summary>
    /// <paramref name="count"/> version 7 ids stamped <paramref name="at"/>, their random bits drawn in one call: a round of
    /// 100,000 payments spent about 70 ms asking the system for 16 random bytes 100,000 times.
    /// </summary>
    public static Guid[] Many(int count, DateTimeOffset at)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new byte[count * 16];
        RandomNumberGenerator.Fill(random);
        var milliseconds = at.ToUnixTimeMilliseconds();
        ArgumentOutOfRangeException.ThrowIfNegative(milliseconds, nameof(at));
        var ids = new Guid[count];
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < count; i++)
        {
            random.AsSpan(i * 16, 16).CopyTo(bytes);
            // RFC 9562: 48 bits of Unix milliseconds (big-endian), the version nibble 7, the variant bits 10.
            for (var b = 0; b < 6; b++) bytes[b] = (byte)(milliseconds >> (40 - 8 * b));
            bytes[6] = (byte)(bytes[6] & 0x0F | 0x70);
            bytes[8] = (byte)(bytes[8] & 0x3F | 0x80);
            ids[i] = new Guid(bytes, bigEndian: true);
        }
        return ids;
    }
}
