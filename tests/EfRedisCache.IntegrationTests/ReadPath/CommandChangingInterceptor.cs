using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// An interceptor that changes a query's command just before it runs, sync or async alike, as rewriting, routing and
/// normalising interceptors do. Registered after the cache, it changes the command after the cache keyed it.
/// </summary>
internal abstract class CommandChangingInterceptor : DbCommandInterceptor
{
    public sealed override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Change(command);
        return result;
    }

    public sealed override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Change(command);
        return ValueTask.FromResult(result);
    }

    protected abstract void Change(DbCommand command);
}
