// Installs EfRedisCache from the .nupkg that package-smoke.sh just packed (not a project reference) and wires it
// the way the README's "Dependency injection" section does: an application-owned IConnectionMultiplexer from DI,
// AddDbContext, AddDbContextPool and AddDbContextFactory, and the injected IRedisCacheInvalidator. Exits non-zero
// when a second read is not a hit, a save is not seen, or the invalidator does not reach Redis.
using System.Data.Common;
using EfRedisCache;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

var redisConfiguration = args.Length > 0 ? args[0] : "localhost:6379";
var databasePath = Path.Combine(Path.GetTempPath(), $"efrc-package-smoke-{Guid.NewGuid():N}.db");
var counter = new QueryCounter();
var failures = 0;

foreach (var registration in new[] { "AddDbContext", "AddDbContextPool", "AddDbContextFactory" })
{
    var keyPrefix = $"efrc-smoke-{registration}-{Guid.NewGuid():N}";
    var services = new ServiceCollection();
    services.AddLogging();
    services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redisConfiguration + ",abortConnect=false"));
    void Configure(IServiceProvider provider, DbContextOptionsBuilder options) => options
        .UseSqlite($"Data Source={databasePath}")
        .AddInterceptors(counter)
        .UseRedisCacheAside(provider.GetRequiredService<IConnectionMultiplexer>(), cache =>
        {
            cache.DefaultTtl = TimeSpan.FromMinutes(10);
            cache.KeyPrefix = keyPrefix;
            cache.LoggerFactory = provider.GetRequiredService<ILoggerFactory>();
        });
    _ = registration switch
    {
        "AddDbContext" => services.AddDbContext<ShopContext>(Configure),
        "AddDbContextPool" => services.AddDbContextPool<ShopContext>(Configure),
        _ => services.AddDbContextFactory<ShopContext>(Configure),
    };
    services.AddRedisCacheInvalidator<ShopContext>();
    await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });

    await using (var scope = provider.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<ShopContext>();
        await db.Database.EnsureDeletedAsync();
        await db.Database.EnsureCreatedAsync();
        db.Products.Add(new Product { Id = 1, Name = "Keyboard", Price = 49.99m });
        await db.SaveChangesAsync();
    }

    async Task<decimal> ReadAsync()
    {
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ShopContext>();
        return (await db.Products.Where(p => p.Price < 100).Cacheable().SingleAsync()).Price;
    }

    void Expect(bool condition, string what)
    {
        Console.WriteLine($"{registration}: {(condition ? "ok  " : "FAIL")} {what}");
        failures += condition ? 0 : 1;
    }

    var before = counter.Queries;
    Expect(await ReadAsync() == 49.99m && counter.Queries == before + 1, "first read is a miss");
    Expect(await ReadAsync() == 49.99m && counter.Queries == before + 1, "second read is a hit");

    await using (var scope = provider.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<ShopContext>();
        (await db.Products.SingleAsync(p => p.Id == 1)).Price = 44.99m;
        await db.SaveChangesAsync();
    }

    Expect(await ReadAsync() == 44.99m, "a save is seen by the next read");
    var afterSave = counter.Queries;
    await using (var scope = provider.CreateAsyncScope())
    {
        await scope.ServiceProvider.GetRequiredService<IRedisCacheInvalidator>().InvalidateAllAsync();
    }

    Expect(await ReadAsync() == 44.99m && counter.Queries == afterSave + 1, "the injected invalidator ends the entry");

    // The README's other snippets, as written there.
    await using (var scope = provider.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<ShopContext>();
        var tagged = await db.Products.Cacheable(TimeSpan.FromHours(1), "catalog").ToListAsync();
        var live = await db.Products.NotCacheable().ToListAsync();
        var byId = await Queries.ProductById(db, 1);
        var invalidator = db.GetCacheInvalidator();
        await invalidator.InvalidateEntityAsync<Product>();
        await invalidator.InvalidateTagsAsync(["catalog"]);
        await invalidator.InvalidateAllAsync();
        Expect(tagged.Count == 1 && live.Count == 1 && byId?.Price == 44.99m, "the README's query and invalidation snippets run");
    }
}

File.Delete(databasePath);
Console.WriteLine(failures == 0 ? "package smoke test passed" : $"package smoke test: {failures} failed");
return failures == 0 ? 0 : 1;

internal static class Queries
{
    public static readonly Func<ShopContext, int, Task<Product?>> ProductById = EF.CompileAsyncQuery(
        (ShopContext db, int id) => db.Products.AsNoTracking().Cacheable().FirstOrDefault(p => p.Id == id));
}

internal sealed class ShopContext(DbContextOptions<ShopContext> options) : DbContext(options)
{
    public DbSet<Product> Products => Set<Product>();
}

internal sealed class Product
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public decimal Price { get; set; }
}

/// <summary>Counts the queries that reached SQLite: a hit sends none.</summary>
internal sealed class QueryCounter : DbCommandInterceptor
{
    private int _queries;

    public int Queries => Volatile.Read(ref _queries);

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        // EF Core hands a hit's replay reader to ReaderExecuted too; only a command that ran has a real SQLite reader.
        if (result.GetType().Namespace == "Microsoft.Data.Sqlite")
        {
            Interlocked.Increment(ref _queries);
        }

        return ValueTask.FromResult(result);
    }
}
