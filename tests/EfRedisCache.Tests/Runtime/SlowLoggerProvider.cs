using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EfRedisCache.Tests.Runtime;

/// <summary>Records event names and takes <paramref name="delay"/> per record, so a caller racing the logging one overlaps it.</summary>
public sealed class SlowLoggerProvider(TimeSpan delay) : ILoggerProvider, ILogger
{
    public ConcurrentQueue<string> EventNames { get; } = new();

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        EventNames.Enqueue(eventId.Name ?? string.Empty);
        Thread.Sleep(delay);
    }

    public void Dispose()
    {
    }
}
