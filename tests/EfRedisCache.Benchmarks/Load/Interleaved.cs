using System.Diagnostics;

namespace EfRedisCache.Benchmarks.Load;

/// <summary>
/// Runs variants call by call, in a fresh random order each round, so drift in the machine's load hits them
/// alike and no variant always follows the same neighbour: a call right after a Redis round trip finds the
/// thread pool's workers still spinning and its own reply is picked up at once, a call after CPU-bound work
/// finds them asleep and pays the wake-up (on this VM that alone moved a GET's p50 from 55 to 106 µs).
/// </summary>
internal static class Interleaved
{
    /// <returns>Per variant, the microseconds of each measured call.</returns>
    public static async Task<double[][]> RunAsync(IReadOnlyList<Func<Task>> variants, int samples, int warmUp)
    {
        var times = variants.Select(_ => new double[samples]).ToArray();
        var order = Enumerable.Range(0, variants.Count).ToArray();
        var random = new Random(42); // the same orders in every run
        for (var i = -warmUp; i < samples; i++)
        {
            random.Shuffle(order);
            foreach (var v in order)
            {
                var started = Stopwatch.GetTimestamp();
                await variants[v]().ConfigureAwait(false);
                if (i >= 0)
                {
                    times[v][i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
                }
            }
        }

        return times;
    }
}
