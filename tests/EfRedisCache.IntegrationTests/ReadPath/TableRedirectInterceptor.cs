using System.Data.Common;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// Rewrites every query's SQL to read another table, as schema- or table-per-tenant applications do in a command
/// interceptor (<c>"Products"</c> becomes <c>"Products_tenant7"</c>). Registered after the cache, it changes the
/// command after the cache has seen it.
/// </summary>
internal sealed class TableRedirectInterceptor(string from, string to) : CommandChangingInterceptor
{
    protected override void Change(DbCommand command)
        => command.CommandText = command.CommandText.Replace($"\"{from}\"", $"\"{to}\"", StringComparison.Ordinal);
}
