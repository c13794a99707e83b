namespace AssetRecovery.Messaging.Relay;

/// <summary>
/// Lets work a caller is waiting for (a bulk batch's rows becoming freeze requests) go before this service's relay.
/// While any such work is under way the relay holds each page of committed events back, up to
/// <see cref="EventRelayOptions.MaxYield"/>, so the work does not share two cores with the consumers its own events
/// would start (measured on a 10,000-row batch: docs/benchmarks, finding 27). Nothing is lost or reordered: the pages
/// go out once the work ends or the hold runs out. In-process only: with the daemon in HotCold mode the relay may run
/// in another instance, and then it does not wait.
/// </summary>
public sealed class RelayYield
{
    private readonly Lock _lock = new();
    private int _underWay;
    private TaskCompletionSource _idle = CompletedIdle();

    public bool IsHeld
    {
        get { lock (_lock) return _underWay > 0; }
    }

    /// <summary>Holds the relay until the returned scope is disposed (scopes nest: the last one out releases it).</summary>
    public IDisposable Begin()
    {
        lock (_lock)
        {
            if (_underWay++ == 0) _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        return new Scope(this);
    }

    /// <summary>Returns once no work holds the relay, or after <paramref name="maxWait"/>, whichever is first.</summary>
    public async Task WaitAsync(TimeSpan maxWait, TimeProvider clock, CancellationToken cancellationToken)
    {
        Task idle;
        lock (_lock) idle = _idle.Task;
        if (idle.IsCompleted || maxWait <= TimeSpan.Zero) return;
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAny(idle, Task.Delay(maxWait, clock, giveUp.Token));
        await giveUp.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }

    private void End()
    {
        lock (_lock)
        {
            if (--_underWay == 0) _idle.TrySetResult();
        }
    }

    private static TaskCompletionSource CompletedIdle()
    {
        var idle = new TaskCompletionSource();
        idle.SetResult();
        return idle;
    }

    private sealed class Scope(RelayYield owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.End();
        }
    }
}
