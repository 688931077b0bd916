using System.Data.Common;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// Changes how a query's parameters bind, leaving its SQL text alone: a per-tenant interceptor that maps a sentinel
/// value, truncates strings to a column's length (<see cref="DbParameter.Size"/>) or renames parameters. Registered
/// after the cache, it changes the command after the cache keyed it.
/// </summary>
internal sealed class ParameterRebindInterceptor(Action<DbParameter> rebind) : CommandChangingInterceptor
{
    protected override void Change(DbCommand command)
    {
        foreach (DbParameter parameter in command.Parameters)
        {
            rebind(parameter);
        }
    }
}
