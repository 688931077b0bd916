namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>A keyless read model over the Products table that reads the decimal price as a whole number.</summary>
public sealed class PriceWholeRow
{
    public int Price { get; set; }
}
