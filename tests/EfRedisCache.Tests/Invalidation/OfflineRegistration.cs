using System.Globalization;
using EfRedisCache.Configuration;
using EfRedisCache.Invalidation;
using EfRedisCache.Tests.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using StackExchange.Redis;

namespace EfRedisCache.Tests.Invalidation;

/// <summary>
/// A cache registration on a SQLite file whose Redis never answers (a closed port): its runtime and publisher, for tests
/// of what transactions hold and what a bump names, which need no Redis. <see cref="SaveOfRows"/> makes what a save of
/// rows of table <c>items</c> invalidates.
/// </summary>
internal sealed class OfflineRegistration : IDisposable
{
    private readonly ConnectionMultiplexer _multiplexer = ConnectionMultiplexer.Connect("127.0.0.1:1,abortConnect=false,connectTimeout=1");
    private readonly RuleContext _context;

    /// <param name="name">The SQLite file's name and the key prefix.</param>
    public OfflineRegistration(string name)
    {
        _context = new RuleContext(new DbContextOptionsBuilder<RuleContext>()
            .UseSqlite($"Data Source={name}.db")
            .UseRedisCacheAside(_multiplexer, o => o.KeyPrefix = name)
            .Options);
        Runtime = _context.GetService<IDbContextOptions>().FindExtension<RedisCacheAsideOptionsExtension>()!.Runtime;
    }

    public CacheRuntime Runtime { get; }

    public InvalidationPublisher Publisher => Runtime.Publisher;

    /// <summary>A save of rows <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> − 1 of <c>items</c>.</summary>
    public static InvalidationSet SaveOfRows(string database, int first, int count = 1)
    {
        var set = new InvalidationSet(database);
        set.Tables.Add("items");
        for (var id = first; id < first + count; id++)
        {
            set.Rows.Add(("items", id.ToString(CultureInfo.InvariantCulture)));
        }

        return set;
    }

    public void Dispose()
    {
        _context.Dispose();
        _multiplexer.Dispose();
    }
}
