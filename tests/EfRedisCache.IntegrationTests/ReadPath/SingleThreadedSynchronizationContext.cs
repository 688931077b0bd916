using System.Collections.Concurrent;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// A synchronization context that runs one thing at a time on one thread, as a WPF dispatcher or old ASP.NET's
/// request context does: a continuation posted to it while its thread blocks waits until the thread is free.
/// </summary>
internal sealed class SingleThreadedSynchronizationContext : SynchronizationContext
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = [];

    public override void Post(SendOrPostCallback d, object? state) => _queue.Add((d, state));

    public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException();

    /// <summary>Runs <paramref name="body"/> on a thread of its own under this context; false when it did not end within <paramref name="timeout"/> (a deadlock).</summary>
    public static bool Run(Action body, TimeSpan timeout, out Exception? failure)
    {
        var context = new SingleThreadedSynchronizationContext();
        Exception? error = null;
        var thread = new Thread(() =>
        {
            SetSynchronizationContext(context);
            context.Post(_ =>
            {
                try
                {
                    body();
                }
                catch (Exception exception)
                {
                    error = exception;
                }
                finally
                {
                    context._queue.CompleteAdding();
                }
            }, null);
            foreach (var (callback, state) in context._queue.GetConsumingEnumerable())
            {
                callback(state);
            }
        }) { IsBackground = true };
        thread.Start();
        var ended = thread.Join(timeout);
        failure = error;
        return ended;
    }
}
