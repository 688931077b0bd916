using System.Data.Common;
using EfRedisCache.Storage;
using Microsoft.EntityFrameworkCore.Diagnostics;
using StackExchange.Redis;

namespace EfRedisCache.Benchmarks.Infrastructure;

/// <summary>
/// A hit stripped to its physics: every command is answered from an EfRedisCache payload, decoded and replayed
/// by the library's own reader as a hit does after its probe. Without a key, the payload is held in memory (a
/// hit without Redis: against <see cref="InProcessReplayInterceptor"/> it measures the library's decode and
/// reader). With a key, the payload is first read with one GET inside EF Core's pipeline, where a hit does its
/// round trip: one Redis round trip of the same bytes plus EF Core's own cost, thread hops included, with no
/// planning, no key building and no version check.
/// </summary>
public sealed class PayloadReplayInterceptor(byte[] payload, IDatabase? redis = null, RedisKey key = default) : DbCommandInterceptor
{
    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        => Replay(redis is null ? payload : (byte[])redis.StringGet(key)!);

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        => Replay(redis is null ? payload : (byte[])(await redis.StringGetAsync(key).ConfigureAwait(false))!);

    private static InterceptionResult<DbDataReader> Replay(byte[] bytes)
        => InterceptionResult<DbDataReader>.SuppressWithResult(new ReplayDataReader(CachedResultSerializer.Deserialize(bytes)));
}
