namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>A leaf that reads the shared column as text.</summary>
public class TextNote : SharedColumnNote
{
    public string Text { get; set; } = "";
}
