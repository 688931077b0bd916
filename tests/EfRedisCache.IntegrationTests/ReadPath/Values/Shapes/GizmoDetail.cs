namespace EfRedisCache.IntegrationTests.ReadPath.Values.Shapes;

/// <summary>A complex type stored as JSON (EF Core 10 <c>ComplexProperty(...).ToJson()</c>).</summary>
public sealed class GizmoDetail
{
    public required string Note { get; set; }

    public DateTimeOffset At { get; set; }

    public decimal Amount { get; set; }

    public bool Flag { get; set; }
}
