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
        if (!task.IsCompleted)
        {
            if (async)
            {
                try
                {
                    await task.WaitAsync(budget, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is TimeoutException || (exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
                {
                    Observe(task);
                    throw;
                }
            }
            else if (!WaitQuietly(task, budget))
            {
                Observe(task);
                throw new TimeoutException($"Redis did not answer within {budget.TotalMilliseconds} ms.");
            }
        }

        return await task.ConfigureAwait(false);
    }

    /// <summary>Waits without throwing: a faulted task rethrows its own exception, unwrapped, at the await below.</summary>
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
