using System.Runtime.CompilerServices;

namespace EfRedisCache.Tests.Api;

/// <summary>
/// The package's public surface, nullability included, against the checked-in <c>PublicApi.txt</c>: a type or member
/// made public by accident, or a signature changed, fails here and has to be accepted on purpose: run this test with
/// <c>EFRC_ACCEPT_PUBLIC_API=1</c>, which rewrites the file, and commit the file's diff with the change.
/// </summary>
public sealed class PublicApiUnitTests
{
    [Fact]
    public void The_public_surface_is_the_one_checked_in()
    {
        var expected = File.ReadAllText(SnapshotPath()).ReplaceLineEndings("\n");
        var actual = PublicApiText.Of(typeof(RedisCacheAsideOptions).Assembly);
        if (Environment.GetEnvironmentVariable("EFRC_ACCEPT_PUBLIC_API") == "1")
        {
            File.WriteAllText(SnapshotPath(), actual);
            return;
        }

        Assert.True(
            expected == actual,
            $"The public API changed. If on purpose, run this test with EFRC_ACCEPT_PUBLIC_API=1 and commit {SnapshotPath()}. Now:\n{actual}");
    }

    [Fact]
    public void Every_public_member_is_documented_in_the_shipped_xml_file()
    {
        var xml = System.Xml.Linq.XDocument.Load(Path.ChangeExtension(typeof(RedisCacheAsideOptions).Assembly.Location, ".xml"));
        var documented = xml.Descendants("member")
            .Where(m => m.Element("summary") is not null || m.Element("inheritdoc") is not null)
            .Select(m => (string)m.Attribute("name")!)
            .ToHashSet(StringComparer.Ordinal);

        Assert.All(PublicApiText.DocumentationIds(typeof(RedisCacheAsideOptions).Assembly), id => Assert.Contains(id, documented));
    }

    private static string SnapshotPath([CallerFilePath] string thisFile = "")
        => Path.Combine(Path.GetDirectoryName(thisFile)!, "PublicApi.txt");
}
