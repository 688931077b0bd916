using System.Collections.Concurrent;
using System.Data.Common;
using System.Reflection;
using System.Runtime.CompilerServices;
using EfRedisCache.Diagnostics;
using EfRedisCache.Local;
using EfRedisCache.Redis;
using EfRedisCache.Resilience;
using EfRedisCache.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using StackExchange.Redis;

namespace EfRedisCache.Interception;

/// <summary>
/// The second half of a miss: <see cref="QueryReadPath"/> decided the command runs on the database and
/// remembered where its rows go; here the provider's reader is wrapped in a <see cref="RecordingDataReader"/>,
/// and once EF Core has read the rows they are stored under the versions read before the query ran, handed to
/// local waiters, and the stampede lock is freed.
/// </summary>
internal sealed class MissStore(CacheRuntime runtime)
{
    private readonly ConditionalWeakTable<DbCommand, PendingStore> _pendingStores = [];

    // Recorders EF Core has not necessarily received yet: until the command's reader is closed, a failure EF Core
    // reports for the command (a later interceptor's ReaderExecuted threw) must end the recording.
    private readonly ConditionalWeakTable<DbCommand, RecordingDataReader> _recorders = [];
    private readonly UnstorableQueries _unstorable = new();

    // The shortest payload Redis refused as longer than its proto-max-bulk-len. Such a refusal closes the connection,
    // failing every command in flight on it (other queries' hits), and leaves the store's stampede lock for other
    // processes to wait on; so it is paid once per process, and longer results are then not stored.
    private int _refusedPayloadBytes = int.MaxValue;

    private static readonly TimeSpan ReleaseRetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>(EF Core provider's assembly, reader's assembly) → the provider is built on the reader's assembly.</summary>
    private static readonly ConcurrentDictionary<(Assembly Provider, Assembly Reader), bool> ProviderReaderAssemblies = new();

    /// <summary>True when this process's last miss on <paramref name="hash"/> could not store its rows (<see cref="UnstorableQueries"/>).</summary>
    public bool IsKnownUnstorable(string hash) => _unstorable.Contains(hash);

    /// <summary>Remembers, for the command about to run, what its rows will be stored under, read under the connection's <paramref name="generation"/>.</summary>
    public void Remember(DbCommand command, IDatabase database, CacheableQuery query, long generation, RedisKey lockKey, RedisValue token, RedisValue versions, Flight? flight)
        => _pendingStores.AddOrUpdate(command, new PendingStore(
            database,
            generation,
            query.Hash,
            query.Command,
            query.EntryKey,
            lockKey,
            token,
            query.Dependencies,
            versions,
            query.Ttl,
            runtime.Settings.TimeProvider.GetTimestamp(),
            flight,
            runtime.LoggerFor(query.Context)));

    /// <summary>
    /// Whether <paramref name="reader"/> is the provider's: from the command's assembly, or — under a pass-through
    /// wrapper of the connection and command (tracing, profiling) that hands back the wrapped command's reader — from
    /// an ADO.NET assembly the EF Core provider is built on (Microsoft.Data.Sqlite, Npgsql). Not System.Data.Common's
    /// <c>DataTableReader</c>, which every provider references and no provider returns.
    /// </summary>
    private static bool IsProviderReader(DbDataReader reader, DbCommand command, Microsoft.EntityFrameworkCore.DbContext context)
    {
        var readerAssembly = reader.GetType().Assembly;
        if (readerAssembly == command.GetType().Assembly)
        {
            return true;
        }

        if (readerAssembly == typeof(DbDataReader).Assembly
            || context.GetService<IDbContextOptions>().Extensions.OfType<RelationalOptionsExtension>().FirstOrDefault() is not { } provider)
        {
            return false;
        }

        // A collectible assembly's answer (a plugin's reader, answering a miss) is not remembered: a static map would
        // keep the plugin loaded after its host unloaded it. It costs one look at the references per such miss.
        var pair = (provider.GetType().Assembly, readerAssembly);
        return pair.Item1.IsCollectible || readerAssembly.IsCollectible
            ? IsBuiltOn(pair)
            : ProviderReaderAssemblies.GetOrAdd(pair, IsBuiltOn);
    }

    private static bool IsBuiltOn((Assembly Provider, Assembly Reader) pair)
        => pair.Provider.GetReferencedAssemblies().Any(name => AssemblyName.ReferenceMatchesDefinition(name, pair.Reader.GetName()));

    /// <summary>After a remembered command ran: EF Core reads its rows through a recorder.</summary>
    public DbDataReader AfterReader(DbCommand command, Microsoft.EntityFrameworkCore.DbContext? context, DbDataReader result)
    {
        if (!_pendingStores.TryGetValue(command, out var pending))
        {
            return result;
        }

        _pendingStores.Remove(command);
        if (context is null || (!pending.Command.IsUnchanged(command) && !QueryPlanner.StillKeysTo(command, context, pending.Hash)))
        {
            // An interceptor registered after the cache rewrote the command (a table or schema per tenant): the
            // rows are another query's than the one keyed, and stored under that key they would be served to it.
            runtime.OnCommandRewritten(context);
            Finish(pending, null, stored: false);
            return result;
        }

        if (!IsProviderReader(result, command, context))
        {
            // A provider's reader comes from its own assembly (SqliteDataReader, NpgsqlDataReader, a profiler's
            // wrapper beside its wrapped command): a reader from elsewhere was handed over by an interceptor
            // registered after the cache that answered the command itself (SuppressWithResult: a test double, a
            // fallback). Its rows are not the database's and, stored, would be served to contexts without it.
            runtime.OnCommandAnswered(context);
            Finish(pending, null, stored: false);
            return result;
        }

        RecordingDataReader recorder = null!;
        recorder = new RecordingDataReader(result, runtime.Settings.MaxEntryBytes, (cached, reason) =>
        {
            _recorders.Remove(command);
            Store(pending, cached, reason, recorder.IsUnstorable);
        });
        _recorders.AddOrUpdate(command, recorder);
        return recorder;
    }

    /// <summary>
    /// The command failed or was canceled: free the lock and let waiters go to the database. Also when it failed
    /// after its reader was wrapped: EF Core then never reads or closes that reader, which would otherwise hold
    /// local waiters and the stampede lock for the whole <c>StampedeWaitTimeout</c>.
    /// </summary>
    public void Abandon(DbCommand command)
    {
        if (_pendingStores.TryGetValue(command, out var pending))
        {
            _pendingStores.Remove(command);
            Finish(pending, null, stored: false);
        }

        if (_recorders.TryGetValue(command, out var recorder))
        {
            _recorders.Remove(command);
            recorder.Abandon("EF Core failed the command before it read the rows.");
        }
    }

    private void Store(PendingStore pending, CachedResult? cached, string? reason, bool unstorable)
    {
        if (cached is null)
        {
            CacheMetrics.StoreSkips.Add(1);
            Log.EntryNotStored(pending.Logger, reason ?? "the result was not read to the end");
            if (unstorable)
            {
                _unstorable.Mark(pending.Hash, pending.Ttl);
            }

            Finish(pending, null, stored: false);
            return;
        }

        if (runtime.Failover.Generation != pending.Generation)
        {
            // The connection changed since the versions were read: they may be another Redis process's, and
            // this one has not been confirmed yet (FailoverGuard). The rows themselves are fresh: share them locally.
            Finish(pending, cached, stored: false);
            return;
        }

        if (runtime.PendingInvalidations.HasPending)
        {
            // A write's invalidation has not reached Redis: these rows may predate it, so they are neither
            // stored nor shared until the pending invalidations are delivered.
            Finish(pending, null, stored: false);
            return;
        }

        var maxBytes = Math.Min(runtime.Settings.MaxEntryBytes, Volatile.Read(ref _refusedPayloadBytes) - 1);
        if (!CachedResultSerializer.TrySerialize(cached, maxBytes, out var payload, out var failure))
        {
            CacheMetrics.StoreSkips.Add(1);
            Log.EntryNotStored(pending.Logger, failure ?? "the result could not be encoded");
            _unstorable.Mark(pending.Hash, pending.Ttl);
            Finish(pending, cached, stored: false);
            return;
        }

        try
        {
            var time = runtime.Settings.TimeProvider;
            var computeTime = time.GetElapsedTime(pending.StartTimestamp);
            var expiresAt = time.GetUtcNow() + pending.Ttl;
            var storing = RedisCacheStore.StoreAsync(pending.Database, pending.EntryKey, pending.LockKey, pending.Dependencies, pending.Versions, payload, pending.Ttl, EarlyRefresh.Meta(computeTime, expiresAt), pending.LockToken);
            _ = storing.ContinueWith(
                static (failed, state) =>
                {
                    var (owner, pending, bytes) = ((MissStore, PendingStore, int))state!;
                    owner.OnStoreFailed(pending, bytes, failed.Exception!.InnerException!);
                },
                (this, pending, payload.Length),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            CacheMetrics.Stores.Add(1);
            _unstorable.Clear(pending.Hash);
            if (runtime.LocalResults.IsEnabled)
            {
                // Kept under the versions read before the query, the ones the store compares and sets: like the
                // entry, they answer a hit only while Redis still holds exactly those versions (whether or not the
                // store itself landed), so this process's next hit reads versions only, not the rows it just stored.
                var kept = new LocalResult(cached, pending.Versions, (long)computeTime.TotalMilliseconds, expiresAt.ToUnixTimeMilliseconds());
                runtime.LocalResults.Keep(pending.Hash, kept, HeapSize.Of(cached));
            }

            Finish(pending, cached, stored: true);
        }
        catch (Exception exception)
        {
            CacheMetrics.RedisErrors.Add(1);
            Log.StoreFailed(pending.Logger, exception);
            Finish(pending, cached, stored: false);
        }
    }

    /// <summary>
    /// A store the server did not run: the script did not free the stampede lock, which other processes' misses would
    /// wait on until it expires. A payload longer than the server accepts is remembered (<see cref="_refusedPayloadBytes"/>).
    /// Any failure is counted and logged: the result is not cached (before, only the refusal of a long payload was, and a
    /// store that timed out left no trace, <c>FailedStoreTests</c>).
    /// </summary>
    private void OnStoreFailed(PendingStore pending, int payloadBytes, Exception exception)
    {
        CacheMetrics.RedisErrors.Add(1);
        if (RedisCacheStore.IsLargerThanServerAccepts(exception))
        {
            int refused;
            while (payloadBytes < (refused = Volatile.Read(ref _refusedPayloadBytes))
                   && Interlocked.CompareExchange(ref _refusedPayloadBytes, payloadBytes, refused) != refused)
            {
            }

            Log.EntryLargerThanServerAccepts(pending.Logger, payloadBytes);
        }
        else
        {
            Log.StoreFailed(pending.Logger, exception);
        }

        if (!pending.LockToken.IsNullOrEmpty)
        {
            _ = ReleaseLockOnceConnectedAsync(pending);
        }
    }

    /// <summary>
    /// After a failed store the connection may be gone (a refused long value closes it), and a release sent now would
    /// be lost with it: tried again until Redis takes it, while the lock can still be alive.
    /// </summary>
    private async Task ReleaseLockOnceConnectedAsync(PendingStore pending)
    {
        var time = TimeProvider.System; // the lock expires on the real clock
        var started = time.GetTimestamp();
        while (time.GetElapsedTime(started) < runtime.Settings.StampedeWaitTimeout)
        {
            try
            {
                await RedisCall.WaitAsync(RedisCacheStore.ReleaseLockAsync(pending.Database, pending.LockKey, pending.LockToken), runtime.Settings.RedisTimeout, async: true).ConfigureAwait(false);
                return;
            }
            catch (ObjectDisposedException)
            {
                // The application disposed the multiplexer: no release gets through it again, and retrying held it (and
                // the query's state) alive until the lock's own expiry, which frees the lock all the same.
                return;
            }
            catch (Exception)
            {
                await Task.Delay(ReleaseRetryDelay, time).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Hands the rows to local waiters and frees the Redis lock (the store script frees it when it ran).</summary>
    private void Finish(PendingStore pending, CachedResult? cached, bool stored)
    {
        if (pending.Flight is { } flight)
        {
            runtime.Flights.Land(pending.Hash, flight, cached);
        }

        if (!stored && !pending.LockToken.IsNullOrEmpty)
        {
            RedisCacheStore.TryReleaseLock(pending.Database, pending.LockKey, pending.LockToken);
        }
    }
}
