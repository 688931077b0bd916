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

    /// <summary>
    /// IntelliSense shows a method's type parameters and parameters from these tags: each one of every public method is
    /// described (a <c>&lt;inheritdoc/&gt;</c> brings the parameters of the method it names, not a type parameter that one lacks).
    /// </summary>
    [Fact]
    public void Every_type_parameter_and_parameter_of_a_public_method_is_documented()
    {
        var xml = System.Xml.Linq.XDocument.Load(Path.ChangeExtension(typeof(RedisCacheAsideOptions).Assembly.Location, ".xml"));
        var members = xml.Descendants("member").ToDictionary(m => (string)m.Attribute("name")!, StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var (id, method) in PublicApiText.Methods(typeof(RedisCacheAsideOptions).Assembly))
        {
            if (!members.TryGetValue(id, out var member))
            {
                continue; // Every_public_member_is_documented_in_the_shipped_xml_file says so
            }

            var typeParameters = member.Elements("typeparam").Select(e => (string?)e.Attribute("name")).ToHashSet(StringComparer.Ordinal);
            var parameters = member.Elements("param").Select(e => (string?)e.Attribute("name")).ToHashSet(StringComparer.Ordinal);
            var inherits = member.Element("inheritdoc") is not null;
            missing.AddRange(method.IsGenericMethod
                ? method.GetGenericArguments().Where(t => !typeParameters.Contains(t.Name)).Select(t => $"{id}: typeparam {t.Name}")
                : []);
            missing.AddRange(inherits
                ? []
                : method.GetParameters().Where(p => !parameters.Contains(p.Name)).Select(p => $"{id}: param {p.Name}"));
        }

        Assert.True(missing.Count == 0, "Undocumented:\n" + string.Join("\n", missing));
    }

    private static string SnapshotPath([CallerFilePath] string thisFile = "")
        => Path.Combine(Path.GetDirectoryName(thisFile)!, "PublicApi.txt");
}
