using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// Answers every query itself with one canned row of one text column, as a test double, a feature flag or a
/// fallback interceptor might (<c>SuppressWithResult</c>). Registered after the cache, it answers a miss after the
/// cache has decided to store the database's rows.
/// </summary>
internal sealed class CannedAnswerInterceptor(string cannedValue) : DbCommandInterceptor
{
    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        => InterceptionResult<DbDataReader>.SuppressWithResult(Answer());

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(InterceptionResult<DbDataReader>.SuppressWithResult(Answer()));

    private DataTableReader Answer()
    {
        var table = new DataTable();
        table.Columns.Add("Name", typeof(string));
        table.Rows.Add(cannedValue);
        return table.CreateDataReader();
    }
}
