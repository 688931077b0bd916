namespace EfRedisCache.IntegrationTests.ReadPath.Fuzz;

/// <summary>A captured value, as a closure holds it, so EF Core binds it as a parameter rather than a constant.</summary>
internal sealed class Holder<T>(T value)
{
#pragma warning disable CA1051 // A field, as the compiler's closures have: EF Core parameterizes a field of a constant.
    public readonly T Value = value;
#pragma warning restore CA1051
}
