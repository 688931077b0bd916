using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Api;

/// <summary>
/// Registered after the cache: the application disposes its multiplexer while a miss runs (a shutdown, a configuration
/// reload), and the query then fails (<see cref="Message"/>): EF Core reports the failure, and the cache frees the miss's
/// stampede lock through the disposed multiplexer.
/// </summary>
internal sealed class MultiplexerDisposingInterceptor(IConnectionMultiplexer multiplexer) : DbCommandInterceptor
{
    public const string Message = "The query failed after the application disposed its multiplexer (MultiplexerDisposingInterceptor).";

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        await multiplexer.DisposeAsync();
        throw new InvalidOperationException(Message);
    }
}
