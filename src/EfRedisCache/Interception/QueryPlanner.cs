using System.Data;
using System.Data.Common;
using EfRedisCache.Diagnostics;
using EfRedisCache.Keys;
using EfRedisCache.Metadata;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace EfRedisCache.Interception;

/// <summary>
/// Decides, from the command alone, whether a query goes through the cache and under which key and
/// dependencies. Cheap checks come first, so a query that is not cached pays almost nothing.
/// </summary>
internal static class QueryPlanner
{
    public static bool TryPlan(CacheRuntime runtime, DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, out CacheableQuery query)
    {
        query = default;
        var context = eventData.Context;
        if (result.HasResult || context is null || eventData.CommandSource is not (CommandSource.LinqQuery or CommandSource.FromSqlQuery))
        {
            return false;
        }

        var settings = runtime.Settings;
        var sql = command.CommandText;
        var marker = QueryMarker.Parse(sql);
        if (marker.Kind == QueryMarkerKind.NotCacheable || (marker.Kind == QueryMarkerKind.None && !settings.CachesUnmarkedQueries))
        {
            return false;
        }

        var model = ModelCacheInfo.For(context.Model);
        var analysis = model.AnalyzeQuery(sql);
        if (marker.IsRawSql)
        {
            analysis = analysis.WithUserFunctionsAsUnknownSources();
        }

        if (analysis.IsWrite || CachePolicy.Decide(marker, analysis, settings, runtime.TableRulesFor(context)) is not { } ttl)
        {
            return false;
        }

        if (analysis.NotCacheableReason is { } reason)
        {
            // The clock, a sequence, a row lock: the database must answer every time.
            NotCacheable(runtime, context, reason);
            return false;
        }

        if (!CanUseCache(runtime, context, command, out var canStore))
        {
            return false;
        }

        if (HasOutputParameter(command))
        {
            NotCacheable(runtime, context, "a parameter is an output the command fills, which a hit does not run");
            return false;
        }

        var databaseId = DatabaseIdentity.Of(command.Connection!, out var session);
        if (databaseId is null)
        {
            NotCacheable(runtime, context, "the database is a private in-memory database that no other connection can see");
            return false;
        }

        if (DatabaseIdentity.NamesAttachedSqliteFile(command.Connection!, analysis.SourceQualifiers))
        {
            NotCacheable(runtime, context, "it reads a SQLite database attached to the connection, whose own connections' writes the cache cannot tie to it");
            return false;
        }

        if (session is null)
        {
            NotCacheable(runtime, context, "the connection string cannot be parsed into keywords, so its sessions cannot be told apart");
            return false;
        }

        var hash = CacheKeyBuilder.TryBuild(command, databaseId, session.Value, context.GetType(), model.ModelHash, out var bindings);
        if (hash is null)
        {
            NotCacheable(runtime, context, "no key can be built: a parameter's value or provider type cannot be read");
            return false;
        }

        var keys = runtime.Keys;
        Span<char> rowKey = stackalloc char[Invalidation.RowKey.MaxLength];
        if (settings.RowLevelInvalidation && analysis.KeyLookup is { } lookup && TryWriteKeyValue(command, lookup, rowKey, out var rowKeyLength))
        {
            // A read of one row by key: its row version and the table's bulk epoch, not every write to the table.
            query = new CacheableQuery(context, hash, keys, DependencyKeys.ForRow(keys, databaseId, analysis, lookup, marker.Tags, rowKey[..rowKeyLength]), ttl, canStore, new KeyedCommand(command, hash, bindings), ByRow: true);
            return true;
        }

        query = new CacheableQuery(context, hash, keys, DependencyKeys.ForTables(keys, databaseId, analysis, marker.Tags), ttl, canStore, new KeyedCommand(command, hash, bindings));
        return true;
    }

    /// <summary>
    /// Whether <paramref name="command"/>, as it ran, still has the key <paramref name="hash"/> it was planned under.
    /// Interceptors run in registration order, so one added after the cache sees the command after the key was
    /// built and may rewrite its SQL or parameters; its rows then belong to another query. Asked only when
    /// <see cref="KeyedCommand.IsUnchanged"/> cannot tell (the command was touched after it was keyed).
    /// </summary>
    public static bool StillKeysTo(DbCommand command, DbContext context, string hash)
    {
        if (command.Connection is not { } connection || DatabaseIdentity.Of(connection, out var session) is not { } databaseId || session is null)
        {
            return false;
        }

        return string.Equals(
            CacheKeyBuilder.TryBuild(command, databaseId, session.Value, context.GetType(), ModelCacheInfo.For(context.Model).ModelHash),
            hash,
            StringComparison.Ordinal);
    }

    /// <summary>
    /// An output, input-output or return-value parameter is part of the answer (Npgsql fills outputs from the first
    /// row, SQL Server when the reader closes), and a hit would leave it as the caller set it. Indexed: no boxed enumerator.
    /// </summary>
    private static bool HasOutputParameter(DbCommand command)
    {
        var parameters = command.Parameters;
        for (var i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].Direction != ParameterDirection.Input)
            {
                return true;
            }
        }

        return false;
    }

    private static void NotCacheable(CacheRuntime runtime, DbContext context, string reason)
    {
        var logger = runtime.LoggerFor(context);
        Log.QueryNotCacheable(logger, reason);
    }

    /// <summary>The looked-up key as <see cref="Invalidation.RowKey.Format"/> spells it, written into <paramref name="destination"/>: no string of its own.</summary>
    private static bool TryWriteKeyValue(DbCommand command, Sql.PrimaryKeyLookup lookup, Span<char> destination, out int length)
    {
        length = 0;
        if (lookup.Literal is { } literal)
        {
            return long.TryParse(literal, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
                && value.TryFormat(destination, out length, default, System.Globalization.CultureInfo.InvariantCulture); // RowKey's spelling, unboxed
        }

        var name = lookup.ParameterName!;
        // Indexed, not foreach: the collection's enumerator is a boxed object on every query.
        var parameters = command.Parameters;
        for (var i = 0; i < parameters.Count; i++)
        {
            var parameter = parameters[i];
            var parameterName = parameter.ParameterName;
            if (parameterName == name || (name.Length > 1 && parameterName.AsSpan().SequenceEqual(name.AsSpan(1))))
            {
                return Invalidation.RowKey.TryFormat(parameter.Value, destination, out length);
            }
        }

        return false;
    }

    /// <summary>
    /// Inside a transaction that has written, the cache is bypassed: the writer must see its own rows, and they
    /// are not committed. So it is inside a snapshot transaction (repeatable read, serializable — SQLite's every
    /// transaction — or snapshot isolation), whose reads must not see a later commit. Inside any other
    /// transaction (read committed) hits are served but misses are not stored, since the rows may come from
    /// the transaction's view rather than the latest commit. A transaction begun with raw SQL is not seen by
    /// EF Core: the connection is bypassed while it is open (<see cref="Invalidation.RawSqlTransactions"/>), and on
    /// SQLite while its native connection is in one, begun by whichever connection had it before (<see cref="Invalidation.SqliteNativeTransaction"/>).
    /// </summary>
    private static bool CanUseCache(CacheRuntime runtime, DbContext context, DbCommand command, out bool canStore)
    {
        canStore = false;
        if (command.Connection is null || Invalidation.SystemTransactionOfContext.Of(context, command.Connection) is not null)
        {
            return false;
        }

        if (runtime.RawSqlTransactions.IsOpen(command.Connection)
            || (command.Transaction is null && Invalidation.SqliteNativeTransaction.IsOpen(command.Connection)))
        {
            NotCacheable(runtime, context, "a transaction begun with raw SQL is open on the connection");
            return false;
        }

        if (command.Transaction is { } transaction)
        {
            if (runtime.Transactions.HasWritten(transaction))
            {
                NotCacheable(runtime, context, "the transaction has written");
                return false;
            }

            if (transaction.IsolationLevel is IsolationLevel.RepeatableRead or IsolationLevel.Serializable or IsolationLevel.Snapshot
                || runtime.Transactions.ReadsSnapshot(transaction))
            {
                // Its reads come from a snapshot, which a hit's rows may be newer than.
                NotCacheable(runtime, context, "the transaction reads a snapshot");
                return false;
            }

            return true;
        }

        canStore = true;
        return true;
    }
}
