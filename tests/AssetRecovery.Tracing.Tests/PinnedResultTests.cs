using AssetRecovery.Benchmarks;
using AssetRecovery.Tracing;

namespace AssetRecovery.Tracing.Tests;

/// <summary>
/// Whole results pinned: the fingerprint (every holding, path, share, exit, account and flow) of generated cases, recorded
/// with the engine before its performance work (issue 4). Any change of an amount, a path, an order or a rounding shows
/// here; a deliberate change of the rules must update these figures and say why. The fingerprint covers paths, so the
/// full result (every victim's paths) is pinned; the compact result, the default, must be that result summed.
/// </summary>
public sealed class PinnedResultTests
{
    [Theory]
    [InlineData(2000, 1, 100, AllocationRule.Fifo, "132a2181ac5f58d1c5ab38aa2b195f3d6d9dd0ab10cf772e117ac1cfd0b4e9e8")]
    [InlineData(2000, 1, 100, AllocationRule.Lifo, "f496efd02f82c421878246b023a565d0fb4e76cf6a0245a860cb916b8816a917")]
    [InlineData(2000, 1, 100, AllocationRule.ProRata, "a08c572deae0a04054dda3b065b2a3e474a85faf40eec03fbd1620a49f679f48")]
    [InlineData(2000, 1, 100, AllocationRule.Libr, "e38f165c7f5caa916e55876f66f0b2c1601226ce0b86763e906a9f80b6065058")]
    [InlineData(2000, 1, 100, AllocationRule.Poison, "638681b35d2a8a93c87b3b64f909f831d6e43c8c5c1f41dd4bb4ddcdc9992ed6")]
    [InlineData(2000, 1, 100, AllocationRule.Haircut, "487790316dc6897ad13ce4c6d0a39585c54657874c1a7f446d434da9d45f5df7")]
    [InlineData(1000, 3, 10, AllocationRule.Fifo, "08ea37443018f0649e99f579a4fd5fb0ce7c6d480f9ed87513fadd18928cacc7")]
    [InlineData(1000, 3, 10, AllocationRule.Lifo, "4f97b881b82c050e169117c0a0202615180f17035a9435c6ad7037be9b2cc4f5")]
    [InlineData(1000, 3, 10, AllocationRule.ProRata, "e46ed32cb5d960bc03c302ed441582ea2ff11eb7562b2fec5bcab16852db4170")]
    [InlineData(1000, 3, 10, AllocationRule.Libr, "e33aae2d9c83bb886cf39ab238fbf0f1b1b58d321de728d00f80f54b6da7669e")]
    [InlineData(1000, 3, 10, AllocationRule.Poison, "85f0ed5095820388bbd83da941237414dbdc78d32e3aa2fff78750f305b69185")]
    [InlineData(1000, 3, 10, AllocationRule.Haircut, "2e2ee6979f3889ba2730f5496ff369cf0bffa89ebbbc0b981c82f3388d0dbb79")]
    public void Generated_case_gives_the_pinned_result(int transactions, int seed, int victims, AllocationRule rule, string fingerprint)
    {
        var request = SyntheticCase.Generate(transactions, victims, rule, seed);
        var full = TraceEngine.Trace(request with { Paths = TracePaths.All });
        var compact = TraceEngine.Trace(request);

        Assert.Equal(fingerprint, ResultFingerprint.Compute(full).Fingerprint);
        CompactComparison.AssertCompactIsFullSummed(full, compact);
        Assert.Equal(ResultFingerprint.ComputeCompact(full), ResultFingerprint.ComputeCompact(compact));
    }

    [Fact]
    public void Progress_is_reported_at_most_about_100_times_in_order_ending_at_the_total()
    {
        var request = SyntheticCase.Generate(5000, 20, AllocationRule.ProRata, 5);
        var reports = new List<TraceProgress>();
        var result = TraceEngine.Trace(request, new Recorder(reports));

        var total = request.Payments.Count + request.Transactions.Count;
        Assert.InRange(reports.Count, 50, 101);
        Assert.All(reports, r => Assert.Equal(total, r.Total));
        Assert.Equal(reports.Select(r => r.Processed).Order(), reports.Select(r => r.Processed));
        Assert.Equal(reports.Count, reports.Select(r => r.Processed).Distinct().Count());
        Assert.Equal(total, reports[^1].Processed);
        Assert.Equal(1.0, reports[^1].Fraction);
        Assert.Equal(ResultFingerprint.ComputeCompact(TraceEngine.Trace(request)), ResultFingerprint.ComputeCompact(result));
    }

    [Fact]
    public void Progress_on_an_empty_request_reports_done_once()
    {
        var reports = new List<TraceProgress>();
        TraceEngine.Trace(new TraceRequest("CNY", 2, [], [], AllocationRule.ProRata), new Recorder(reports));

        Assert.Equal([new TraceProgress(0, 0)], reports);
        Assert.Equal(1.0, reports[0].Fraction);
    }

    /// <summary>Synchronous, unlike <see cref="Progress{T}"/>, which posts to the thread pool.</summary>
    private sealed class Recorder(List<TraceProgress> reports) : IProgress<TraceProgress>
    {
        public void Report(TraceProgress value) => reports.Add(value);
    }
}
