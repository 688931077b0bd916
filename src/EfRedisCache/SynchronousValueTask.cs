namespace EfRedisCache;

/// <summary>
/// The sync half of "write the logic once": sync callers run the shared async method with its
/// <c>async: false</c> flag, which calls only synchronous Redis APIs, so the task has completed when it returns.
/// </summary>
internal static class SynchronousValueTask
{
    public static T RunSynchronously<T>(this ValueTask<T> task)
        => task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();

    public static void RunSynchronously(this ValueTask task)
    {
        if (!task.IsCompletedSuccessfully)
        {
            task.AsTask().GetAwaiter().GetResult();
        }
    }
}
