using Microsoft.Extensions.Logging;

namespace EfRedisCache.Diagnostics;

/// <summary>
/// The application's logger as the cache uses it: what that logger throws is dropped. The cache logs from
/// continuations that run after the query returned (a store Redis refused, invalidations published when a connection
/// or transaction ends), where an exception surfaced as an unobserved task exception and ended the continuation before
/// its work (freeing the stampede lock, <c>ThrowingLoggerTests</c>); and on the request path, where a broken logger
/// must not fail a query the cache would otherwise have answered or sent to the database. Nothing counts the drop: the
/// only channel to say it on is the one that failed.
/// </summary>
internal sealed class NonThrowingLogger(ILogger logger) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
    {
        try
        {
            return logger.BeginScope(state);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return null;
        }
    }

    public bool IsEnabled(LogLevel logLevel)
    {
        try
        {
            return logger.IsEnabled(logLevel);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return false;
        }
    }

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            logger.Log(logLevel, eventId, state, exception, formatter);
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            // The application's logging failed: the cache goes on as if it had logged.
        }
    }
}
