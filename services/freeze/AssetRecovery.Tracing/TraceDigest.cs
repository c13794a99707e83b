using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace AssetRecovery.Tracing;

/// <summary>
/// SHA-256 over the request in canonical form: a version tag, currency, digits, rule, MaxHops, window, opening balances
/// (by account, ordinal) and all payments and transactions (in window or not) in <see cref="EventOrder"/>, then the
/// minimum share when there is one.
/// Strings are UTF-8 with a 32-bit length prefix (-1 = null), integers little-endian, kind and channel one byte, instants as UTC ticks (the offset is ignored: same
/// instant, same trace). Reordering the input lists does not change the digest.
/// </summary>
public static class TraceDigest
{
    public static string Compute(TraceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Compute(request, EventOrder.Sort(request));
    }

    internal static string Compute(TraceRequest request, TraceEvent[] order)
    {
        using var writer = new HashWriter();
        writer.String("AssetRecovery.Tracing/v1");
        writer.String(request.Currency);
        writer.Int64(request.MinorUnitDigits);
        writer.Int64((long)request.Rule);
        writer.Int64(request.MaxHops);
        writer.OptionalInstant(request.From);
        writer.OptionalInstant(request.To);

        var opening = request.OpeningBalances;
        writer.Int64(opening?.Count ?? 0);
        if (opening is not null)
        {
            foreach (var key in opening.Keys.OrderBy(k => k, StringComparer.Ordinal))
            {
                writer.String(key);
                writer.Int64(opening[key]);
            }
        }

        writer.Int64(order.Length);
        foreach (var e in order)
        {
            writer.Byte(e.Kind);
            if (e.Kind == 0)
            {
                var p = request.Payments[e.Index];
                writer.Int64(p.Timestamp.UtcTicks);
                writer.String(p.TransactionId);
                writer.String(p.VictimId);
                writer.String(p.ToAccount);
                writer.Int64(p.AmountMinor);
            }
            else
            {
                var t = request.Transactions[e.Index];
                writer.Int64(t.Timestamp.UtcTicks);
                writer.String(t.TransactionId);
                writer.String(t.FromAccount);
                writer.String(t.ToAccount);
                writer.Int64(t.AmountMinor);
                writer.Byte((byte)t.Channel);
            }
        }

        // After the events, so the digests of traces without a minimum share stay what they were.
        if (request.MinimumShareMinor > 0)
        {
            writer.String("MinimumShareMinor");
            writer.Int64(request.MinimumShareMinor);
        }

        return writer.HexDigest();
    }

    private sealed class HashWriter : IDisposable
    {
        private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly byte[] buffer = new byte[1 << 16];
        private int used;

        private void Int32(int value)
        {
            Ensure(4);
            BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(used), value);
            used += 4;
        }

        public void Int64(long value)
        {
            Ensure(8);
            BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(used), value);
            used += 8;
        }

        public void Byte(byte value)
        {
            Ensure(1);
            buffer[used++] = value;
        }

        public void OptionalInstant(DateTimeOffset? value)
        {
            Int64(value is null ? 0 : 1);
            Int64(value?.UtcTicks ?? 0);
        }

        public void String(string? value)
        {
            if (value is null)
            {
                Int32(-1);
                return;
            }

            var max = Encoding.UTF8.GetMaxByteCount(value.Length);
            if (max + 4 > buffer.Length)
            {
                var bytes = Encoding.UTF8.GetBytes(value);
                Int32(bytes.Length);
                Flush();
                hash.AppendData(bytes);
                return;
            }

            Ensure(max + 4);
            var written = Encoding.UTF8.GetBytes(value, buffer.AsSpan(used + 4));
            BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(used), written);
            used += 4 + written;
        }

        public string HexDigest()
        {
            Flush();
            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }

        private void Ensure(int bytes)
        {
            if (used + bytes > buffer.Length) Flush();
        }

        private void Flush()
        {
            hash.AppendData(buffer, 0, used);
            used = 0;
        }

        public void Dispose() => hash.Dispose();
    }
}
