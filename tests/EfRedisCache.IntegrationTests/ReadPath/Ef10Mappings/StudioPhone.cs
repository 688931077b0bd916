namespace EfRedisCache.IntegrationTests.ReadPath.Ef10Mappings;

/// <summary>A complex type nested in <see cref="StudioContact"/>.</summary>
public sealed class StudioPhone
{
    public string Number { get; set; } = "";

    public int? Extension { get; set; }
}
