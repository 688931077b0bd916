using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// Rewrites every query's SQL to read another table, as schema- or table-per-tenant applications do in a command
/// interceptor (<c>"Products"</c> becomes <c>"Products_tenant7"</c>). Registered after the cache, it changes the
/// command after the cache has seen it.
/// </summary>
internal sealed class TableRedirectInterceptor(string from, string to) : DbCommandInterceptor
{
    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Redirect(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Redirect(command);
        return ValueTask.FromResult(result);
    }

    private void Redirect(DbCommand command)
        => command.CommandText = command.CommandText.Replace($"\"{from}\"", $"\"{to}\"", StringComparison.Ordinal);
}
