namespace EfRedisCache.Resilience;

/// <summary>
/// Waits for a Redis call within the request budget. Both paths use the async client API, so one budget
/// bounds sync and async callers alike, whatever timeouts a user-supplied multiplexer was configured with.
/// </summary>
internal static class RedisCall
{
    /// <remarks>
    /// <paramref name="cancellationToken"/> (async callers only: EF Core's synchronous API has none) ends the wait
    /// at once; the call itself runs on, and its outcome is observed.
    /// </remarks>
    public static async ValueTask<T> WaitAsync<T>(Task<T> task, TimeSpan budget, bool async, CancellationToken cancellationToken = default)
    {
        try
        {
            return await Bound(task, budget, async, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsAbandoned(exception, cancellationToken))
        {
            Observe(task);
            throw;
        }
    }

    /// <summary>
    /// <see cref="WaitAsync"/> without a state machine of its own, for <see cref="Redis.RedisAccess"/>, which every hit
    /// goes through and which already has one: the wait, as a task that ends with <paramref name="task"/>'s outcome, or
    /// with a <see cref="TimeoutException"/> after <paramref name="budget"/>, or cancelled by <paramref name="cancellationToken"/>.
    /// When it ends so (a <see cref="TimeoutException"/>, or cancelled with the token), the caller must
    /// <see cref="Observe"/> <paramref name="task"/>.
    /// </summary>
    /// <exception cref="TimeoutException">A synchronous wait (<paramref name="async"/> false) ran out of budget.</exception>
    public static Task<T> Bound<T>(Task<T> task, TimeSpan budget, bool async, CancellationToken cancellationToken = default)
    {
        if (task.IsCompleted)
        {
            return task;
        }

        if (async)
        {
            return task.WaitAsync(budget, cancellationToken);
        }

        return WaitQuietly(task, budget) ? task : throw new TimeoutException($"Redis did not answer within {budget.TotalMilliseconds} ms.");
    }

    /// <summary>The wait of <see cref="Bound"/> ended before the call did: out of budget, or cancelled by its caller.</summary>
    private static bool IsAbandoned(Exception exception, CancellationToken cancellationToken)
        => exception is TimeoutException || (exception is OperationCanceledException && cancellationToken.IsCancellationRequested);

    /// <summary>Waits without throwing: a faulted task rethrows its own exception, unwrapped, where the caller awaits it.</summary>
    private static bool WaitQuietly(Task task, TimeSpan budget)
    {
        try
        {
            return task.Wait(budget);
        }
        catch (AggregateException)
        {
            return true;
        }
    }

    /// <summary>A call abandoned after its budget or by its caller, or not awaited at all, may still fail later; its exception must not go unobserved.</summary>
    public static void Observe(Task task)
        => task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
