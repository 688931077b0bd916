namespace EfRedisCache.Resilience;

/// <summary>
/// Stops paying Redis timeouts once Redis has failed <c>threshold</c> times in a row: while open, callers skip
/// Redis at once and use the database. After the break one probe is let through; its success closes the
/// breaker, its failure opens it again. Lock-free; time comes from a <see cref="TimeProvider"/> so tests
/// control it.
/// </summary>
internal sealed class CircuitBreaker
{
    private const int Closed = 0;
    private const int Open = 1;
    private const int HalfOpen = 2;

    private readonly int _threshold;
    private readonly long _breakTicks;
    private readonly TimeProvider _time;
    private int _state;
    private int _failures;
    private long _openUntil;

    public CircuitBreaker(int threshold, TimeSpan breakDuration, TimeProvider time)
    {
        _threshold = threshold;
        _breakTicks = (long)(breakDuration.TotalSeconds * time.TimestampFrequency);
        _time = time;
    }

    public bool IsClosed => Volatile.Read(ref _state) == Closed;

    /// <summary>True when a call may go to Redis now: the breaker is closed, or this caller is the half-open probe.</summary>
    public bool AllowRequest()
    {
        var state = Volatile.Read(ref _state);
        if (state == Closed)
        {
            return true;
        }

        if (state == Open && _time.GetTimestamp() >= Volatile.Read(ref _openUntil))
        {
            return Interlocked.CompareExchange(ref _state, HalfOpen, Open) == Open;
        }

        return false;
    }

    public void RecordSuccess()
    {
        if (Volatile.Read(ref _failures) != 0)
        {
            Volatile.Write(ref _failures, 0);
        }

        if (Volatile.Read(ref _state) != Closed)
        {
            Volatile.Write(ref _state, Closed);
        }
    }

    /// <summary>Returns true when this failure opened the breaker.</summary>
    public bool RecordFailure()
    {
        if (Volatile.Read(ref _state) == HalfOpen || Interlocked.Increment(ref _failures) >= _threshold)
        {
            Volatile.Write(ref _openUntil, _time.GetTimestamp() + _breakTicks);
            return Interlocked.Exchange(ref _state, Open) != Open;
        }

        return false;
    }

    /// <summary>
    /// A call whose outcome nobody waited for (its caller cancelled): it says nothing about Redis. If it was the
    /// half-open probe, the next caller probes instead, so the breaker cannot stay half-open with no probe.
    /// </summary>
    public void RecordAbandoned()
    {
        if (Volatile.Read(ref _state) == HalfOpen)
        {
            Volatile.Write(ref _openUntil, _time.GetTimestamp());
            Interlocked.CompareExchange(ref _state, Open, HalfOpen);
        }
    }
}
