using System.Diagnostics.Metrics;

namespace EfRedisCache.Benchmarks.Infrastructure;

/// <summary>Counts EfRedisCache hits and misses from its public meter.</summary>
public sealed class HitCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _hits;
    private long _misses;

    public HitCounter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == RedisCacheAsideDiagnostics.MeterName && instrument.Name is "efrc.cache.hits" or "efrc.cache.misses")
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
            else
            {
                Interlocked.Add(ref _misses, value);
            }
        });
        _listener.Start();
    }

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    public void Reset()
    {
        Interlocked.Exchange(ref _hits, 0);
        Interlocked.Exchange(ref _misses, 0);
    }

    public void Dispose() => _listener.Dispose();
}
