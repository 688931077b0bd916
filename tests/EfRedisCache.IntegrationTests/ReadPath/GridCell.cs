namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>A row of small numbers: cheap to encode (a byte or two per cell), but a boxed object per cell once read.</summary>
public sealed class GridCell
{
    public int Id { get; set; }

    public int A { get; set; }

    public int B { get; set; }

    public int C { get; set; }

    public int D { get; set; }

    public long E { get; set; }

    public int F { get; set; }

    public int G { get; set; }
}
