using EfRedisCache.Keys;
using Microsoft.Data.Sqlite;

namespace EfRedisCache.Tests.Keys;

/// <summary>
/// The ids of connection strings are remembered (parsing a string and hashing its database costs microseconds per
/// query), up to a bound, since a string may carry what changes (a token). A process with more strings than the bound
/// in rotation (tenants) must lose a few answers as new ones come, not all of them: the table was emptied at the bound,
/// and every string was computed again after each new one past it.
/// </summary>
public sealed class DatabaseIdentityBoundUnitTests
{
    [Fact]
    public void A_string_past_the_bound_does_not_forget_the_others()
    {
        var tenant = Guid.NewGuid().ToString("N");
        var connections = Enumerable.Range(0, DatabaseIdentity.MaxCached)
            .Select(i => new SqliteConnection($"Data Source={Path.Combine(Path.GetTempPath(), $"tenant-{tenant}-{i}.db")}"))
            .ToList();
        foreach (var connection in connections)
        {
            Assert.NotNull(DatabaseIdentity.Of(connection));
        }

        using var oneMore = new SqliteConnection($"Data Source={Path.Combine(Path.GetTempPath(), $"tenant-{tenant}-more.db")}");
        Assert.NotNull(DatabaseIdentity.Of(oneMore));

        // Other tests of the process remember strings too, and may push out a few of these.
        Assert.InRange(connections.Count(DatabaseIdentity.IsRemembered), DatabaseIdentity.MaxCached * 9 / 10, DatabaseIdentity.MaxCached);
        Assert.True(DatabaseIdentity.IsRemembered(oneMore));
        Assert.InRange(DatabaseIdentity.RememberedCount, 1, DatabaseIdentity.MaxCached);
        connections.ForEach(static c => c.Dispose());
    }
}
