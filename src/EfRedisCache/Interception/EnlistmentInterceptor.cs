using System.Data.Common;
using EfRedisCache.Invalidation;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EfRedisCache.Interception;

/// <summary>
/// Records the transaction scope a connection opens under (<see cref="ConnectionEnlistments"/>). EF Core calls it on the
/// caller's thread, before the provider's open reads <c>Transaction.Current</c> to enlist, also for an async open.
/// </summary>
internal sealed class EnlistmentInterceptor : DbConnectionInterceptor
{
    public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        ConnectionEnlistments.Opening(connection);
        return result;
    }

    public override ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        ConnectionEnlistments.Opening(connection);
        return ValueTask.FromResult(result);
    }
}
