namespace EfRedisCache.Configuration;

/// <summary>
/// The runtimes <see cref="CacheRuntimeRegistry"/> built on one Redis connection for one key start, and which of its
/// warnings (too many runtimes, too many connections like this one: <see cref="UnsaidWarnings"/>) still wait for a logger: without <c>LoggerFactory</c> there is none when the
/// registration is made, so the first context that uses one of those runtimes says it (<see cref="CacheRuntime.SayUnsaidWarnings"/>).
/// Holds no context, logger or service provider, so it keeps none alive.
/// </summary>
internal sealed class RegistrationCount
{
    private int _count;
    private int _unsaid;

    /// <summary>Read on every query and save: a volatile read, no interlocked operation, until there is something to say.</summary>
    public bool HasUnsaid => Volatile.Read(ref _unsaid) != 0;

    public int Increment() => Interlocked.Increment(ref _count);

    public void LeaveUnsaid(UnsaidWarnings warning)
    {
        int unsaid;
        do
        {
            unsaid = Volatile.Read(ref _unsaid);
        }
        while (Interlocked.CompareExchange(ref _unsaid, unsaid | (int)warning, unsaid) != unsaid);
    }

    /// <summary>The warnings the caller is to say; each is handed to one caller only.</summary>
    public UnsaidWarnings TakeUnsaid() => (UnsaidWarnings)Interlocked.Exchange(ref _unsaid, 0);
}
