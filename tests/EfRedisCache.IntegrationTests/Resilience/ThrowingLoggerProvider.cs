using Microsoft.Extensions.Logging;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>An application's logging that is broken: every logger it makes throws from <c>Log</c>, with <see cref="Message"/>.</summary>
internal sealed class ThrowingLoggerProvider : ILoggerProvider, ILogger
{
    public const string Message = "The application's logger is broken (ThrowingLoggerProvider).";

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
        => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        => throw new InvalidOperationException(Message);

    public void Dispose()
    {
    }
}
