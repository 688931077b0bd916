using System.Data.Common;
using System.Runtime.CompilerServices;
using EfRedisCache.Invalidation;
using EfRedisCache.Keys;
using EfRedisCache.Metadata;
using EfRedisCache.Sql;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EfRedisCache.Interception;

/// <summary>
/// The write path of commands other than SaveChanges' own: ExecuteUpdate, ExecuteDelete and raw SQL. Each
/// invalidates the tables it targets after it commits, or the whole database when the target cannot be told.
/// </summary>
internal sealed class CommandWriteInvalidation
{
    private static readonly HashSet<string> NoTables = [];

    private readonly CacheRuntime _runtime;
    private readonly ConditionalWeakTable<DbCommand, InvalidationSet> _readerWrites = [];

    public CommandWriteInvalidation(CacheRuntime runtime)
    {
        _runtime = runtime;
    }

    public ValueTask AfterExecutedAsync(DbCommand command, CommandEventData eventData, bool isNonQuery, bool async)
    {
        if (eventData.CommandSource == CommandSource.SaveChanges || command.Connection is null)
        {
            return ValueTask.CompletedTask; // SaveChanges' own commands: the SaveChanges interceptor knows their tables.
        }

        var context = eventData.Context;
        var model = context is null ? null : ModelCacheInfo.For(context.Model);
        if (!isNonQuery)
        {
            // Readers and scalars are queries unless their SQL modifies data (DELETE … RETURNING through FromSql).
            var isWrite = model?.AnalyzeQuery(command.CommandText).IsWrite
                ?? SqlWriteScanner.LooksLikeWrite(SqlTokenizer.Tokenize(command.CommandText));
            if (!isWrite)
            {
                return ValueTask.CompletedTask;
            }
        }

        var write = model?.AnalyzeWrite(command.CommandText) ?? SqlWriteScanner.Analyze(command.CommandText, NoTables, isNonQuery: true);
        if (!write.IsWrite || DatabaseIdentity.Of(command.Connection) is not { } databaseId)
        {
            return ValueTask.CompletedTask;
        }

        var set = new InvalidationSet(databaseId) { WholeDatabase = write.UnknownTarget };
        set.BulkTables.UnionWith(write.Tables);
        if (!isNonQuery)
        {
            _readerWrites.AddOrUpdate(command, set);
        }

        return _runtime.Publisher.PublishAfterCommitAsync(context, command.Transaction, set, _runtime.LoggerFor(context), async);
    }

    /// <summary>A reader that writes may apply its changes while it is read: invalidate again once it is closed.</summary>
    public ValueTask AfterReaderClosedAsync(DbCommand command, DbContext? context, bool async)
    {
        if (!_readerWrites.TryGetValue(command, out var set))
        {
            return ValueTask.CompletedTask;
        }

        _readerWrites.Remove(command);
        return _runtime.Publisher.PublishAfterCommitAsync(context, command.Transaction, set, _runtime.LoggerFor(context), async);
    }
}
