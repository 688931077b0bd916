using EfRedisCache.Storage;
using StackExchange.Redis;

namespace EfRedisCache.Resilience;

/// <summary>One database query in progress for one entry, that concurrent misses in this process wait for.</summary>
internal sealed class Flight
{
    private readonly TaskCompletionSource<CachedResult?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Flight(RedisValue versions)
    {
        Versions = versions;
    }

    /// <summary>The dependency versions the leader read. A waiter joins only under the same versions, so it never receives rows from before a write it could already see.</summary>
    public RedisValue Versions { get; }

    public Task<CachedResult?> Result => _completion.Task;

    public void Complete(CachedResult? result) => _completion.TrySetResult(result);
}
