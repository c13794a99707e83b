using System.Security.Cryptography;
using System.Text;

namespace AssetRecovery.BuildingBlocks;

/// <summary>Stream ids derived from a name (an account, a case's pool), so every writer finds the same stream.</summary>
public static class NameBasedIds
{
    /// <summary>A name-based (version 5 style) id: the first 16 bytes of the SHA-256 of the key.</summary>
    public static Guid For(string key)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(key))[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
