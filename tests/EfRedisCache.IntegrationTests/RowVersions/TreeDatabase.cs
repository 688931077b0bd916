using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>A <see cref="TreeContext"/> database with a parent (1) and a child (2) in each table, and a key prefix of its own.</summary>
internal sealed class TreeDatabase : IDisposable
{
    private readonly ITestDatabase _database;
    private readonly RedisServerFixture _redis;
    private readonly string _prefix;

    public TreeDatabase(RedisServerFixture redis, ITestDatabase database)
    {
        _redis = redis;
        _database = database;
        _prefix = redis.NewKeyPrefix();
        using var context = Uncached();
        context.Database.EnsureCreated();
        context.Folders.Add(new Folder { Id = 1, Name = "root" });
        context.Replies.Add(new Reply { Id = 1, Text = "question" });
        context.SaveChanges();
        context.Folders.Add(new Folder { Id = 2, Name = "child", ParentId = 1 });
        context.Replies.Add(new Reply { Id = 2, Text = "answer", ParentId = 1 });
        context.SaveChanges();
    }

    public TreeContext Uncached() => new(_database.CreateOptions<TreeContext>());

    public TreeContext Cached() => new(_database.CreateOptions<TreeContext>(b => b.UseRedisCacheAside(_redis.Connection, o =>
    {
        o.KeyPrefix = _prefix;
        o.RedisTimeout = ShopHarness.RoomyBudget;
    })));

    public void Dispose() => _database.Dispose();
}
