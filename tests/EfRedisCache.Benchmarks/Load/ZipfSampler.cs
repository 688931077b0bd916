namespace EfRedisCache.Benchmarks.Load;

/// <summary>Draws 1..n with probability proportional to 1/k^s (inverse CDF over a precomputed table).</summary>
public sealed class ZipfSampler
{
    private readonly double[] _cdf;
    private readonly Random _random;

    public ZipfSampler(int n, double s, Random random)
    {
        _random = random;
        _cdf = new double[n];
        double sum = 0;
        for (var k = 1; k <= n; k++)
        {
            sum += 1 / Math.Pow(k, s);
            _cdf[k - 1] = sum;
        }

        for (var k = 0; k < n; k++)
        {
            _cdf[k] /= sum;
        }
    }

    public int Next()
    {
        var index = Array.BinarySearch(_cdf, _random.NextDouble());
        return (index < 0 ? ~index : index) + 1;
    }
}
