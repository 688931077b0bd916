using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// An application interceptor, registered before the cache, that fails a save after its command has run: the row is
/// in the database (autocommit), the save throws, and the cache hears of the command only as failed.
/// </summary>
internal sealed class ThrowAfterSaveCommand : DbCommandInterceptor
{
    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
        => eventData.CommandSource == CommandSource.SaveChanges ? throw new InvalidOperationException("after the save's command") : result;

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
        => new(NonQueryExecuted(command, eventData, result));

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
        => eventData.CommandSource == CommandSource.SaveChanges ? throw new InvalidOperationException("after the save's command") : result;

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        => new(ReaderExecuted(command, eventData, result));
}
