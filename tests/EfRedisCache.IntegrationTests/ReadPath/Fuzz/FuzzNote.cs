namespace EfRedisCache.IntegrationTests.ReadPath.Fuzz;

/// <summary>A dependent collection of <see cref="FuzzItem"/>, for Include with single and split queries.</summary>
public class FuzzNote
{
    public int Id { get; set; }

    public int ItemId { get; set; }

    public string Text { get; set; } = "";

    public double? Weight { get; set; }
}
