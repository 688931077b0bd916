using System.Data.Common;
using EfRedisCache.Invalidation;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace EfRedisCache.Interception;

/// <summary>
/// Records the transaction scope a connection opens under (<see cref="ConnectionEnlistments"/>). EF Core calls it on the
/// caller's thread, before the provider's open reads <c>Transaction.Current</c> to enlist, also for an async open.
/// </summary>
internal sealed class EnlistmentInterceptor : DbConnectionInterceptor
{
    private const string SqliteOptionsExtension = "Microsoft.EntityFrameworkCore.Sqlite.Infrastructure.Internal.SqliteOptionsExtension";

    /// <summary>
    /// False where the options name SQLite, which enlists in no transaction (Microsoft.Data.Sqlite refuses
    /// <c>EnlistTransaction</c>, and EF Core does not ask it to): a connection interceptor makes EF Core build event data
    /// for every open and close, which every query does, hits too (368 bytes a pooled, compiled key-lookup hit, 761 on a
    /// new context: <c>Configuration/ConnectionInterceptorRegistrationUnitTests</c>). True where the provider is
    /// not named yet (<c>UseRedisCacheAside</c> before <c>UseSqlite</c>): it may enlist.
    /// </summary>
    public static bool IsNeeded(IDbContextOptions options)
        => !options.Extensions.Any(static extension => extension.GetType().FullName == SqliteOptionsExtension);

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
