namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>A decimal in a SQLite column of NUMERIC affinity (<c>decimal(18,6)</c>), which stores it as a REAL or an INTEGER.</summary>
public class NumericAmount
{
    public int Id { get; set; }

    public decimal Amount { get; set; }
}
