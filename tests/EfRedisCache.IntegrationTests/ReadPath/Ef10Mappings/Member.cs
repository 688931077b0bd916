namespace EfRedisCache.IntegrationTests.ReadPath.Ef10Mappings;

/// <summary>An entity split over two tables (<c>SplitToTable</c>): <see cref="City"/> and <see cref="Bio"/> live in <c>MemberProfiles</c>.</summary>
public sealed class Member
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    public string City { get; set; } = "";

    public string Bio { get; set; } = "";
}
