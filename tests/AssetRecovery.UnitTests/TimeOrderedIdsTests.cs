using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts;

namespace AssetRecovery.UnitTests;

public class TimeOrderedIdsTests
{
    [Fact]
    public void Ids_made_together_are_distinct_consecutive_version_7_ids_stamped_with_the_time_as_the_runtime_would_stamp_it()
    {
        var at = new DateTimeOffset(2026, 12, 6, 21, 15, 30, 123, TimeSpan.FromHours(8));
        var ids = TimeOrderedIds.Consecutive(10_000, at);

        Assert.Equal(10_000, ids.Distinct().Count());
        Assert.Equal(ids, ids.Order());
        Assert.Equal(ids, ids.Select((_, i) => ConsecutiveIds.At(ids[0], i)));
        // The first leaves the bit after the variant clear: 2^61 ids follow it before any wraps around.
        Assert.Equal(0, ids[0].ToByteArray(bigEndian: true)[8] & 0x20);
        var expectedStamp = Guid.CreateVersion7(at).ToByteArray(bigEndian: true)[..6];
        Assert.All(ids, id =>
        {
            Assert.Equal(7, id.Version);
            Assert.Equal(0b10, id.Variant >> 2);
            Assert.Equal(expectedStamp, id.ToByteArray(bigEndian: true)[..6]);
        });
    }

    [Fact]
    public void Ids_of_a_later_millisecond_sort_after_those_of_an_earlier_one()
    {
        var at = DateTimeOffset.UtcNow;
        var earlier = TimeOrderedIds.Consecutive(100, at);
        var later = TimeOrderedIds.Consecutive(100, at.AddMilliseconds(1));

        Assert.True(earlier.Max() < later.Min());
        Assert.Empty(TimeOrderedIds.Consecutive(0, at));
    }

    [Fact]
    public void Counting_on_changes_only_the_bits_after_the_variant_and_wraps_around_in_them()
    {
        var last = Guid.Parse("01a25348-0064-72fc-bfff-ffffffffffff"); // variant 10, every bit after it set

        Assert.Equal(last, ConsecutiveIds.At(last, 0));
        Assert.Equal(Guid.Parse("01a25348-0064-72fc-8000-000000000000"), ConsecutiveIds.At(last, 1));
        Assert.Equal(Guid.Parse("01a25348-0064-72fc-8000-000000000009"), ConsecutiveIds.At(last, 10));
    }
}
