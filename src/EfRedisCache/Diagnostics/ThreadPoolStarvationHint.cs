using Microsoft.Extensions.Logging;

namespace EfRedisCache.Diagnostics;

/// <summary>
/// A one-time hint for the failure README "Limits" describes: StackExchange.Redis reads replies on thread-pool
/// threads, so synchronous queries that block those threads delay the very replies they wait for, and their
/// waits time out while Redis is healthy (measured by <c>bench.sh sync</c>: the breaker opened and the cache
/// served nothing). A timeout alone cannot tell that from a slow Redis, so this is a hint beside the ordinary
/// lookup warning, logged once per cache registration.
/// </summary>
internal sealed class ThreadPoolStarvationHint(TimeSpan budget)
{
    private int _logged;

    /// <summary>Logs the hint the first time a synchronous wait on a pool thread timed out.</summary>
    public void OnLookupFailed(ILogger logger, Exception exception, bool async)
    {
        if (async || exception is not TimeoutException || !Thread.CurrentThread.IsThreadPoolThread
            || Interlocked.Exchange(ref _logged, 1) == 1)
        {
            return;
        }

        ThreadPool.GetMinThreads(out var minWorkers, out _);
        Log.SynchronousWaitOnThreadPool(logger, (long)budget.TotalMilliseconds, minWorkers);
    }
}
