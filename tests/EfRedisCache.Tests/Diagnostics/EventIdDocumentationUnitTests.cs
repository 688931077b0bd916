using System.Reflection;
using System.Runtime.CompilerServices;
using EfRedisCache.Diagnostics;
using Microsoft.Extensions.Logging;

namespace EfRedisCache.Tests.Diagnostics;

/// <summary>
/// Event ids are a public contract (operators filter and alert on them): each must be unique, and the README's table of
/// them must list every one the cache logs, with its name and level, so a user who sees an id can look it up.
/// </summary>
public sealed class EventIdDocumentationUnitTests
{
    private static IReadOnlyList<LoggerMessageAttribute> Messages()
        => [.. typeof(Log).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()];

    [Fact]
    public void Event_ids_and_names_are_unique()
    {
        var messages = Messages();
        Assert.NotEmpty(messages);
        Assert.Equal(messages.Count, messages.Select(m => m.EventId).Distinct().Count());
        Assert.Equal(messages.Count, messages.Select(m => m.EventName).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void The_README_lists_every_event_id_with_its_name_and_level()
    {
        var readme = File.ReadAllText(ReadmePath());
        Assert.All(
            Messages(),
            m => Assert.Contains($"| {m.EventId} | `{m.EventName}` | {m.Level} |", readme, StringComparison.Ordinal));
    }

    private static string ReadmePath([CallerFilePath] string thisFile = "")
        => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "..", "README.md"));
}
