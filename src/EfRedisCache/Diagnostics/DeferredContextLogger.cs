using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace EfRedisCache.Diagnostics;

/// <summary>
/// A context's logger, resolved on first use. Every cacheable query carries a logger, but a hit logs nothing,
/// and resolving the context's logger factory (a service lookup and a weak-table entry per context, since
/// applications create a context per request) cost several microseconds of every hit.
/// </summary>
internal sealed class DeferredContextLogger(Func<DbContext, ILogger> resolve, DbContext context) : ILogger
{
    private ILogger? _logger;

    private ILogger Logger => _logger ??= resolve(context);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
        => Logger.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => Logger.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        => Logger.Log(logLevel, eventId, state, exception, formatter);
}
