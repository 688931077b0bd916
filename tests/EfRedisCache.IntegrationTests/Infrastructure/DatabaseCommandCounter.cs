using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EfRedisCache.IntegrationTests.Infrastructure;

/// <summary>
/// Counts the queries that really reach the database. Registered after the cache's interceptor, so a command
/// the cache answered arrives here already suppressed and is not counted.
/// </summary>
public sealed class DatabaseCommandCounter : DbCommandInterceptor
{
    private int _queries;

    public int Queries => Volatile.Read(ref _queries);

    public void Reset() => Interlocked.Exchange(ref _queries, 0);

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Count(eventData, result.HasResult);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Count(eventData, result.HasResult);
        return ValueTask.FromResult(result);
    }

    private void Count(CommandEventData eventData, bool suppressed)
    {
        if (!suppressed && eventData.CommandSource is CommandSource.LinqQuery or CommandSource.FromSqlQuery)
        {
            Interlocked.Increment(ref _queries);
        }
    }
}
