using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// Changes how a query's parameters bind, leaving its SQL text alone: a per-tenant interceptor that maps a sentinel
/// value, truncates strings to a column's length (<see cref="DbParameter.Size"/>) or renames parameters. Registered
/// after the cache, it changes the command after the cache keyed it.
/// </summary>
internal sealed class ParameterRebindInterceptor(Action<DbParameter> rebind) : DbCommandInterceptor
{
    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Rebind(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Rebind(command);
        return ValueTask.FromResult(result);
    }

    private void Rebind(DbCommand command)
    {
        foreach (DbParameter parameter in command.Parameters)
        {
            rebind(parameter);
        }
    }
}
