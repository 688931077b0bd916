namespace EfRedisCache.IntegrationTests.ReadPath.Ef10Mappings;

/// <summary>An optional complex type in its owner's columns, with value converters and a nested complex type.</summary>
public sealed class StudioContact
{
    public required string Email { get; set; }

    /// <summary>Stored as its name.</summary>
    public Mood Preferred { get; set; }

    /// <summary>Stored as a long.</summary>
    public DateTime Since { get; set; }

    public StudioPhone Phone { get; set; } = new();
}
