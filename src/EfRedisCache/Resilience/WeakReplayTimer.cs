namespace EfRedisCache.Resilience;

/// <summary>
/// The replay timer of a <see cref="PendingInvalidations"/>, holding it weakly. A running timer roots its state, and the
/// set reaches the application's multiplexer through its Redis access: held strongly, a multiplexer the application
/// disposed with an invalidation still pending was kept alive, and replayed into every 200 ms, for the life of the
/// process (<c>RegistrationLifetimeTests</c>). The set itself lives as long as its Redis connection can still be used
/// (<see cref="PendingInvalidationsRegistry"/>); once it is collected, the timer stops.
/// </summary>
internal sealed class WeakReplayTimer : IDisposable
{
    private readonly WeakReference<PendingInvalidations> _pending;
    private readonly ITimer _timer;

    public WeakReplayTimer(PendingInvalidations pending, TimeProvider time, TimeSpan interval)
    {
        _pending = new WeakReference<PendingInvalidations>(pending);
        _timer = time.CreateTimer(static state => ((WeakReplayTimer)state!).Tick(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timer.Change(interval, interval);
    }

    public void Dispose() => _timer.Dispose();

    private void Tick()
    {
        if (_pending.TryGetTarget(out var pending))
        {
            _ = pending.TryReplayAsync();
        }
        else
        {
            _timer.Dispose();
        }
    }
}
