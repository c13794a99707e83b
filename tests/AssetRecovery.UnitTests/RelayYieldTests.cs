using AssetRecovery.Messaging.Relay;
using Microsoft.Extensions.Time.Testing;

namespace AssetRecovery.UnitTests;

public sealed class RelayYieldTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void Nothing_under_way_lets_the_relay_go_at_once()
    {
        var relayYield = new RelayYield();
        using (relayYield.Begin()) { }

        Assert.True(relayYield.WaitAsync(Limit, _clock, CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task The_relay_waits_until_the_last_of_nested_work_ends()
    {
        var relayYield = new RelayYield();
        var outer = relayYield.Begin();
        var inner = relayYield.Begin();
        var waiting = relayYield.WaitAsync(Limit, _clock, CancellationToken.None);

        inner.Dispose();
        inner.Dispose(); // a second disposal of one scope does not end the other
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        Assert.True(relayYield.IsHeld);

        outer.Dispose();
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(relayYield.IsHeld);
    }

    [Fact]
    public async Task The_relay_goes_after_the_limit_while_work_is_still_under_way()
    {
        var relayYield = new RelayYield();
        using var neverEnds = relayYield.Begin();
        var waiting = relayYield.WaitAsync(Limit, _clock, CancellationToken.None);

        _clock.Advance(Limit - TimeSpan.FromMilliseconds(1));
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(relayYield.IsHeld);
    }

    [Fact]
    public async Task A_stopping_relay_stops_waiting()
    {
        var relayYield = new RelayYield();
        using var neverEnds = relayYield.Begin();
        using var stopping = new CancellationTokenSource();
        var waiting = relayYield.WaitAsync(Limit, _clock, stopping.Token);

        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(5)));
    }
}
