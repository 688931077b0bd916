namespace EfRedisCache.IntegrationTests.ReadPath.Values.Shapes;

public enum GizmoStatus
{
    Draft,
    Shipped,
    Retired = 7,
}
