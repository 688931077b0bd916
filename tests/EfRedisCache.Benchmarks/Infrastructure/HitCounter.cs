using System.Diagnostics.Metrics;

namespace EfRedisCache.Benchmarks.Infrastructure;

/// <summary>Counts EfRedisCache hits, misses and Redis errors (timeouts included) from its public meter.</summary>
public sealed class HitCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _hits;
    private long _misses;
    private long _redisErrors;

    public HitCounter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == RedisCacheAsideDiagnostics.MeterName && instrument.Name is "efrc.cache.hits" or "efrc.cache.misses" or "efrc.redis.errors")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "efrc.cache.hits")
            {
                Interlocked.Add(ref _hits, value);
            }
            else if (instrument.Name == "efrc.cache.misses")
            {
                Interlocked.Add(ref _misses, value);
            }
            else
            {
                Interlocked.Add(ref _redisErrors, value);
            }
        });
        _listener.Start();
    }

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    public long RedisErrors => Interlocked.Read(ref _redisErrors);

    public void Reset()
    {
        Interlocked.Exchange(ref _hits, 0);
        Interlocked.Exchange(ref _misses, 0);
        Interlocked.Exchange(ref _redisErrors, 0);
    }

    public void Dispose() => _listener.Dispose();
}
