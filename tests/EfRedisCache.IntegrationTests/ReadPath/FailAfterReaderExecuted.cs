using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// An application interceptor registered after the cache that throws from <c>ReaderExecuted</c> once per
/// <see cref="Arm"/>, after holding the query until <see cref="Release"/>: the cache has already wrapped the
/// provider's reader by then, and EF Core never hands that reader to a query enumerator.
/// </summary>
internal sealed class FailAfterReaderExecuted : DbCommandInterceptor
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _reached = new(0);
    private readonly SemaphoreSlim _release = new(0);
    private int _armed;

    public void Arm() => Volatile.Write(ref _armed, 1);

    public async Task WaitUntilHeldAsync()
    {
        if (!await _reached.WaitAsync(Limit))
        {
            throw new TimeoutException("The armed query never reached ReaderExecuted.");
        }
    }

    public void Release() => _release.Release();

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        if (TakeArm(eventData))
        {
            _reached.Release();
            _release.Wait(Limit);
            throw new InvalidOperationException("The application's interceptor failed.");
        }

        return result;
    }

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        if (TakeArm(eventData))
        {
            _reached.Release();
            await _release.WaitAsync(Limit, cancellationToken);
            throw new InvalidOperationException("The application's interceptor failed.");
        }

        return result;
    }

    private bool TakeArm(CommandExecutedEventData eventData)
        => eventData.CommandSource == CommandSource.LinqQuery && Interlocked.Exchange(ref _armed, 0) == 1;
}
