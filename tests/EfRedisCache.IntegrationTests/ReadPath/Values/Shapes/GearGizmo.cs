namespace EfRedisCache.IntegrationTests.ReadPath.Values.Shapes;

public sealed class GearGizmo : Gizmo
{
    public int? Teeth { get; set; }

    public char Color { get; set; }

    public float Pitch { get; set; }

    public DateTimeOffset? Cut { get; set; }
}
