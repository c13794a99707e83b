using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using AssetRecovery.Tracing;

namespace AssetRecovery.Benchmarks;

/// <summary>
/// SHA-256 over everything a <see cref="TraceResult"/> says, in its own order: digest, victims with every holding, path,
/// share and exit, accounts, freeze targets and flows. Two results with the same fingerprint are the same result, so an
/// optimisation of the engine can be checked against the figures recorded before it. Also linked into the tracing tests.
/// </summary>
public static class ResultFingerprint
{
    public sealed record Summary(string Fingerprint, int Victims, long Holdings, long PathShares, long PathHops, long Exits, int Accounts, int Flows);

    /// <summary>What both fingerprints start with, in the same order (the pinned fingerprints depend on it).</summary>
    private static void WriteHeader(Writer w, string version, TraceResult result)
    {
        w.S(version);
        w.L((long)result.Rule);
        w.S(result.Digest);
        w.S(result.Currency);
        w.L(result.MinorUnitDigits);
        w.L(result.Victims.Count);
    }

    public static Summary Compute(TraceResult result)
    {
        using var w = new Writer();
        long holdings = 0, shares = 0, hops = 0, exits = 0;
        WriteHeader(w, "fingerprint/v1", result);
        foreach (var v in result.Victims)
        {
            w.S(v.VictimId);
            w.L(v.LossMinor);
            w.L(v.Holdings.Count);
            foreach (var h in v.Holdings)
            {
                holdings++;
                w.S(h.Account);
                w.L(h.AmountMinor);
                w.L(h.Paths.Count);
                foreach (var p in h.Paths) hops += Path(w, p);
                w.L(h.Shares.Count);
                foreach (var s in h.Shares)
                {
                    shares++;
                    Path(w, s.Path);
                    w.L(s.AmountMinor);
                }
            }

            w.L(v.Exits.Count);
            foreach (var e in v.Exits)
            {
                exits++;
                w.L((long)e.Reason);
                w.S(e.Account);
                w.S(e.TransactionId);
                w.L(e.AmountMinor);
                hops += Path(w, e.Path);
            }
        }

        Accounts(w, result.Accounts);
        Accounts(w, result.FreezeTargets);
        Flows(w, result.Flows);
        return new Summary(w.Hex(), result.Victims.Count, holdings, shares, hops, exits, result.Accounts.Count, result.Flows.Count);
    }

    /// <summary>
    /// SHA-256 over what a compact result says (no paths, no exits one by one): digest, victims with losses, holdings and exit
    /// totals, accounts, freeze targets and flows. The same for the compact and the full result of one trace.
    /// </summary>
    public static string ComputeCompact(TraceResult result)
    {
        using var w = new Writer();
        WriteHeader(w, "fingerprint-compact/v1", result);
        foreach (var v in result.Victims)
        {
            w.S(v.VictimId);
            w.L(v.LossMinor);
            w.L(v.Holdings.Count);
            foreach (var h in v.Holdings)
            {
                w.S(h.Account);
                w.L(h.AmountMinor);
            }

            w.L(v.ExitTotals.Count);
            foreach (var e in v.ExitTotals)
            {
                w.L((long)e.Reason);
                w.S(e.Account);
                w.L(e.AmountMinor);
            }
        }

        Accounts(w, result.Accounts);
        Accounts(w, result.FreezeTargets);
        Flows(w, result.Flows);
        return w.Hex();
    }

    private static void Flows(Writer w, IReadOnlyList<HopFlow> flows)
    {
        w.L(flows.Count);
        foreach (var f in flows)
        {
            w.S(f.Account);
            w.S(f.VictimId);
            w.L(f.ReceivedMinor);
            w.L(f.ForwardedMinor);
            w.L(f.ExitedMinor);
            w.L(f.RemainingMinor);
        }
    }

    private static int Path(Writer w, TracePath p)
    {
        w.L(p.TransactionIds.Count);
        foreach (var id in p.TransactionIds) w.S(id);
        w.L(p.Accounts.Count);
        foreach (var a in p.Accounts) w.S(a);
        return p.Hops;
    }

    private static void Accounts(Writer w, IReadOnlyList<AccountTrace> accounts)
    {
        w.L(accounts.Count);
        foreach (var a in accounts)
        {
            w.S(a.Account);
            w.L(a.BalanceMinor);
            w.L(a.TracedMinor);
            w.L(a.TaintedMinor);
            w.L(a.ByVictim.Count);
            foreach (var (victim, amount) in a.ByVictim)
            {
                w.S(victim);
                w.L(amount);
            }
        }
    }

    private sealed class Writer : IDisposable
    {
        private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly byte[] buffer = new byte[1 << 16];
        private int used;

        public void L(long value)
        {
            if (used + 8 > buffer.Length) Flush();
            BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(used), value);
            used += 8;
        }

        public void S(string? value)
        {
            if (value is null)
            {
                L(-1);
                return;
            }

            var bytes = Encoding.UTF8.GetBytes(value);
            L(bytes.Length);
            if (used + bytes.Length > buffer.Length) Flush();
            if (bytes.Length > buffer.Length)
            {
                hash.AppendData(bytes);
                return;
            }

            bytes.CopyTo(buffer, used);
            used += bytes.Length;
        }

        public string Hex()
        {
            Flush();
            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }

        private void Flush()
        {
            hash.AppendData(buffer, 0, used);
            used = 0;
        }

        public void Dispose() => hash.Dispose();
    }
}
