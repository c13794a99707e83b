using AssetRecovery.BuildingBlocks;

namespace AssetRecovery.UnitTests;

public class TimeOrderedIdsTests
{
    [Fact]
    public void Ids_made_together_are_distinct_version_7_ids_stamped_with_the_time_as_the_runtime_would_stamp_it()
    {
        var at = new DateTimeOffset(2026, 12, 6, 21, 15, 30, 123, TimeSpan.FromHours(8));
        var ids = TimeOrderedIds.Many(10_000, at);

        Assert.Equal(10_000, ids.Distinct().Count());
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
        var earlier = TimeOrderedIds.Many(100, at);
        var later = TimeOrderedIds.Many(100, at.AddMilliseconds(1));

        Assert.True(earlier.Max() < later.Min());
        Assert.Empty(TimeOrderedIds.Many(0, at));
    }
}
