using System.Data.Common;
using System.Runtime.CompilerServices;
using EfRedisCache.Diagnostics;
using EfRedisCache.Invalidation;
using EfRedisCache.Keys;
using EfRedisCache.Metadata;
using EfRedisCache.Redis;
using EfRedisCache.Sql;
using EfRedisCache.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace EfRedisCache.Interception;

/// <summary>
/// The read path and the non-SaveChanges write path. A cacheable query is looked up in one Redis round trip;
/// a hit suppresses the database command and hands EF Core a replay reader; a miss runs the command and
/// records the rows as EF Core reads them, then stores them. Commands that write (ExecuteUpdate,
/// ExecuteDelete, raw SQL) invalidate their target tables after they commit.
/// </summary>
internal sealed class CachingCommandInterceptor : DbCommandInterceptor
{
    private readonly CacheRuntime _runtime;
    private readonly ConditionalWeakTable<DbCommand, PendingStore> _pendingStores = [];
    private readonly ConditionalWeakTable<DbCommand, InvalidationSet> _readerWrites = [];

    public CachingCommandInterceptor(CacheRuntime runtime)
    {
        _runtime = runtime;
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        => BeforeReaderAsync(command, eventData, result, async: false).RunSynchronously();

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return BeforeReaderAsync(command, eventData, result, async: true);
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        InvalidateIfWriteAsync(command, eventData, isNonQuery: false, async: false).RunSynchronously();
        return AfterReader(command, result);
    }

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        await InvalidateIfWriteAsync(command, eventData, isNonQuery: false, async: true).ConfigureAwait(false);
        return AfterReader(command, result);
    }

    public override InterceptionResult DataReaderClosing(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        ReinvalidateReaderWriteAsync(command, eventData.Context, async: false).RunSynchronously();
        return result;
    }

    public override async ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        await ReinvalidateReaderWriteAsync(command, eventData.Context, async: true).ConfigureAwait(false);
        return result;
    }

    /// <summary>A reader that writes (DELETE … RETURNING) may apply its changes while it is read: invalidate again once done.</summary>
    private ValueTask ReinvalidateReaderWriteAsync(DbCommand command, DbContext? context, bool async)
    {
        if (!_readerWrites.TryGetValue(command, out var set))
        {
            return ValueTask.CompletedTask;
        }

        _readerWrites.Remove(command);
        return _runtime.Publisher.PublishAfterCommitAsync(context, command.Transaction, set, _runtime.LoggerFor(context), async);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        InvalidateIfWriteAsync(command, eventData, isNonQuery: true, async: false).RunSynchronously();
        return result;
    }

    public override async ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        await InvalidateIfWriteAsync(command, eventData, isNonQuery: true, async: true).ConfigureAwait(false);
        return result;
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        InvalidateIfWriteAsync(command, eventData, isNonQuery: false, async: false).RunSynchronously();
        return result;
    }

    public override async ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        await InvalidateIfWriteAsync(command, eventData, isNonQuery: false, async: true).ConfigureAwait(false);
        return result;
    }

    private async ValueTask<InterceptionResult<DbDataReader>> BeforeReaderAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, bool async)
    {
        var context = eventData.Context;
        if (result.HasResult || context is null || eventData.CommandSource is not (CommandSource.LinqQuery or CommandSource.FromSqlQuery))
        {
            return result;
        }

        var settings = _runtime.Settings;
        var sql = command.CommandText;
        var marker = QueryMarker.Parse(sql);
        if (marker.Kind == QueryMarkerKind.NotCacheable || (marker.Kind == QueryMarkerKind.None && !settings.CachesUnmarkedQueries))
        {
            return result;
        }

        var model = ModelCacheInfo.For(context.Model);
        var analysis = model.AnalyzeQuery(sql);
        if (analysis.IsWrite || CachePolicy.Decide(marker, analysis, settings, _runtime.TableRulesFor(context.Model)) is not { } ttl)
        {
            return result;
        }

        var logger = _runtime.LoggerFor(context);
        if (!CanUseCache(context, command, logger, out var canStore))
        {
            return result;
        }

        var databaseId = DatabaseIdentity.Of(command.Connection!);
        if (databaseId is null)
        {
            Log.QueryNotCacheable(logger, "the database is a private in-memory database that no other connection can see");
            return result;
        }

        var hash = CacheKeyBuilder.TryBuild(command, databaseId, context.GetType(), model.ModelHash);
        if (hash is null)
        {
            Log.QueryNotCacheable(logger, "a parameter has a type the cache cannot encode");
            return result;
        }

        if (!_runtime.Connection.TryGetDatabase(out var database))
        {
            Log.RedisNotConnected(logger);
            return result;
        }

        var entryKey = _runtime.Keys.Entry(hash);
        var dependencies = DependencyKeys(databaseId, analysis, marker.Tags);
        LookupResult lookup;
        try
        {
            lookup = await RedisCacheStore.LookupAsync(database, entryKey, dependencies, async).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            CacheMetrics.RedisErrors.Add(1);
            Log.LookupFailed(logger, exception);
            return result;
        }

        if (lookup.Payload is { } payload)
        {
            try
            {
                var cached = CachedResultSerializer.Deserialize(payload);
                CacheMetrics.Hits.Add(1);
                return InterceptionResult<DbDataReader>.SuppressWithResult(new ReplayDataReader(cached));
            }
            catch (CacheEntryFormatException exception)
            {
                CacheMetrics.UnreadableEntries.Add(1);
                Log.UnreadableEntry(logger, exception.Message);
                TryDelete(database, entryKey);
            }
        }

        CacheMetrics.Misses.Add(1);
        if (canStore)
        {
            _pendingStores.AddOrUpdate(command, new PendingStore(database, entryKey, dependencies, lookup.Versions, ttl, logger));
        }

        return result;
    }

    /// <summary>
    /// Inside a transaction that has written, the cache is bypassed: the writer must see its own rows, and they
    /// are not committed. Inside any other transaction hits are served but misses are not stored, since the
    /// rows may come from the transaction's snapshot rather than the latest commit.
    /// </summary>
    private bool CanUseCache(DbContext context, DbCommand command, ILogger logger, out bool canStore)
    {
        canStore = false;
        if (command.Connection is null || System.Transactions.Transaction.Current is not null)
        {
            return false;
        }

        if (command.Transaction is { } transaction)
        {
            if (_runtime.StateOf(context).HasWritten(transaction))
            {
                Log.QueryNotCacheable(logger, "the transaction has written");
                return false;
            }

            return true;
        }

        canStore = true;
        return true;
    }

    private RedisKey[] DependencyKeys(string databaseId, QueryAnalysis analysis, string[] tags)
    {
        var keys = _runtime.Keys;
        var count = 2 + (analysis.ReadsUnknownSources ? 1 : 0) + analysis.Tables.Length + tags.Length;
        var dependencies = new RedisKey[count];
        var i = 0;
        dependencies[i++] = keys.GlobalEpoch;
        dependencies[i++] = keys.DatabaseEpoch(databaseId);
        if (analysis.ReadsUnknownSources)
        {
            dependencies[i++] = keys.DatabaseWrites(databaseId);
        }

        foreach (var table in analysis.Tables)
        {
            dependencies[i++] = keys.Table(databaseId, table);
        }

        foreach (var tag in tags)
        {
            dependencies[i++] = keys.Tag(tag);
        }

        return dependencies;
    }

    private DbDataReader AfterReader(DbCommand command, DbDataReader result)
    {
        if (!_pendingStores.TryGetValue(command, out var pending))
        {
            return result;
        }

        _pendingStores.Remove(command);
        return new RecordingDataReader(result, _runtime.Settings.MaxEntryBytes, (cached, reason) => Store(pending, cached, reason));
    }

    private void Store(PendingStore pending, CachedResult? cached, string? reason)
    {
        if (cached is null)
        {
            CacheMetrics.StoreSkips.Add(1);
            Log.EntryNotStored(pending.Logger, reason ?? "the result was not read to the end");
            return;
        }

        if (!CachedResultSerializer.TrySerialize(cached, _runtime.Settings.MaxEntryBytes, out var payload, out var failure))
        {
            CacheMetrics.StoreSkips.Add(1);
            Log.EntryNotStored(pending.Logger, failure ?? "the result could not be encoded");
            return;
        }

        try
        {
            RedisCacheStore.Store(pending.Database, pending.EntryKey, pending.Dependencies, pending.Versions, payload, pending.Ttl);
            CacheMetrics.Stores.Add(1);
        }
        catch (Exception exception)
        {
            CacheMetrics.RedisErrors.Add(1);
            Log.StoreFailed(pending.Logger, exception);
        }
    }

    private static void TryDelete(IDatabase database, RedisKey entryKey)
    {
        try
        {
            RedisCacheStore.Delete(database, entryKey);
        }
        catch (Exception)
        {
            // Best effort: the entry is ignored while unreadable and expires with its TTL.
        }
    }

    private ValueTask InvalidateIfWriteAsync(DbCommand command, CommandEventData eventData, bool isNonQuery, bool async)
    {
        if (eventData.CommandSource == CommandSource.SaveChanges || command.Connection is null)
        {
            return ValueTask.CompletedTask; // SaveChanges' own commands: the SaveChanges interceptor knows their tables.
        }

        var context = eventData.Context;
        var model = context is null ? null : ModelCacheInfo.For(context.Model);
        WriteAnalysis write;
        if (isNonQuery)
        {
            write = model?.AnalyzeWrite(command.CommandText) ?? SqlWriteScanner.Analyze(command.CommandText, new HashSet<string>(), isNonQuery: true);
        }
        else
        {
            // Readers and scalars are queries unless their SQL modifies data.
            var isWrite = model?.AnalyzeQuery(command.CommandText).IsWrite
                ?? SqlWriteScanner.LooksLikeWrite(SqlTokenizer.Tokenize(command.CommandText));
            if (!isWrite)
            {
                return ValueTask.CompletedTask;
            }

            write = model?.AnalyzeWrite(command.CommandText) ?? SqlWriteScanner.Analyze(command.CommandText, new HashSet<string>(), isNonQuery: true);
        }

        if (!write.IsWrite || DatabaseIdentity.Of(command.Connection) is not { } databaseId)
        {
            return ValueTask.CompletedTask;
        }

        var set = new InvalidationSet(databaseId) { WholeDatabase = write.UnknownTarget };
        set.Tables.UnionWith(write.Tables);
        if (!isNonQuery)
        {
            _readerWrites.AddOrUpdate(command, set);
        }

        return _runtime.Publisher.PublishAfterCommitAsync(context, command.Transaction, set, _runtime.LoggerFor(context), async);
    }
}
