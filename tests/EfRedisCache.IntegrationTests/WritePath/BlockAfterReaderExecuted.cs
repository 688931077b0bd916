using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// Holds a query after the database has answered it and before EF Core (and the cache) read its rows, once
/// per <see cref="Arm"/>: the window of the classic cache-aside race, opened on demand. One instance per test
/// options, so EF Core keeps one internal service provider. With <paramref name="failWhenReleased"/> it then
/// throws, as a failing application interceptor registered after the cache would: the cache has wrapped the
/// provider's reader by then, and EF Core never hands that reader to a query.
/// </summary>
internal sealed class BlockAfterReaderExecuted(bool failWhenReleased = false) : DbCommandInterceptor
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

            FailIfAsked();
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

            FailIfAsked();
        }

        return result;
    }

    private void FailIfAsked()
    {
        if (failWhenReleased)
        {
            throw new InvalidOperationException("The application's interceptor failed.");
        }
    }

    private bool TakeArm(CommandExecutedEventData eventData)
        => eventData.CommandSource == CommandSource.LinqQuery && Interlocked.Exchange(ref _armed, 0) == 1;
}
