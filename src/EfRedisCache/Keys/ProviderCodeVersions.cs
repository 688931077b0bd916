using System.Reflection;
using System.Text;

namespace EfRedisCache.Keys;

/// <summary>
/// The assemblies, with their informational versions, whose code turns a column into the value the cache records: a
/// provider's connection (Microsoft.Data.Sqlite, Npgsql: its reader's typed getters) and a model's type-mapping source
/// (EF Core, its relational layer and the EF provider: which getter reads a column). A rolling deployment runs two builds
/// on one Redis; one that upgraded its provider and kept its own assembly version (1.0.0.0 by default) would read the
/// other's entries, recorded by other code — Microsoft.Data.Sqlite 10 reads text with an offset as UTC where earlier
/// versions gave local time. Described once per connection type and string, and once per model: nothing per query.
/// </summary>
internal static class ProviderCodeVersions
{
    /// <summary>
    /// "name version" of each assembly that declares <paramref name="type"/> or a base type above
    /// <paramref name="stopAt"/> (a subclass in the application's assembly must not hide its provider's), one a line.
    /// </summary>
    public static string Of(Type type, Type stopAt)
    {
        var seen = new HashSet<Assembly>();
        var description = new StringBuilder();
        for (var current = type; current is not null && current != stopAt && current != typeof(object); current = current.BaseType)
        {
            var assembly = current.Assembly;
            if (seen.Add(assembly))
            {
                var name = assembly.GetName();
                // The informational version names a patch and, usually, the commit; the assembly version often only the major.
                var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? name.Version?.ToString();
                description.Append(name.Name).Append(' ').Append(version).Append('\n');
            }
        }

        return description.ToString();
    }
}
