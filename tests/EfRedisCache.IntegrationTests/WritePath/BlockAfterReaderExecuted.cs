using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// Holds a query after the database has answered it and before EF Core (and the cache) read its rows, once
/// per <see cref="Arm"/>: the window of the classic cache-aside race, opened on demand. One instance per test
/// options, so EF Core keeps one internal service provider.
/// </summary>
internal sealed class BlockAfterReaderExecuted : DbCommandInterceptor
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _reached = new(0);
    private readonly SemaphoreSlim _release = new(0);
    private int _armed;

    public void Arm() => Volatile.Write(ref _armed, 1);

    /// <summary>Waits until the armed query has executed and is held.</summary>
    public async Task WaitUntilHeldAsync()
    {
        if (!await _reached.WaitAsync(Limit))
        {
            throw new TimeoutException("The reader never reached ReaderExecuted.");
        }
    }

    public void Release() => _release.Release();

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        if (TakeArm(eventData))
        {
            _reached.Release();
            if (!_release.Wait(Limit))
            {
                throw new TimeoutException("The held reader was never released.");
            }
        }

        return result;
    }

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        if (TakeArm(eventData))
        {
            _reached.Release();
            if (!await _release.WaitAsync(Limit, cancellationToken))
            {
                throw new TimeoutException("The held reader was never released.");
            }
        }

        return result;
    }

    private bool TakeArm(CommandExecutedEventData eventData)
        => eventData.CommandSource == CommandSource.LinqQuery && Interlocked.Exchange(ref _armed, 0) == 1;
}
