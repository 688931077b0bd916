// Cache-aside in four reads: a slow query is a miss, then a hit; a save makes it stale, so the next
// read is a miss that sees the new value, then a hit again; then what a hit costs in a warm process.
// Run it with ./sample.sh from the repository root.
using System.Diagnostics;
using EfRedisCache;
using EfRedisCache.Sample;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

if (!SampleRedis.TryFind(out var redisConfiguration, out var localRedis))
{
    Console.Error.WriteLine(SampleRedis.NotFoundMessage);
    return 1;
}

using var stopLocalRedisAtExit = localRedis;
using var loggerFactory = LoggerFactory.Create(logging => logging.AddConsole().SetMinimumLevel(LogLevel.Warning));

// One interceptor and one options instance for every context: EF Core then builds its services once.
var slowFunction = new SlowFunctionInterceptor();
var databasePath = Path.Combine(Path.GetTempPath(), "efrc-sample.db");
var builder = new DbContextOptionsBuilder<SampleContext>()
    .UseSqlite($"Data Source={databasePath}")
    .AddInterceptors(slowFunction);
builder.UseRedisCacheAside(redisConfiguration, cache =>
{
    cache.DefaultTtl = TimeSpan.FromMinutes(10);
    cache.KeyPrefix = "efrc-sample";
    cache.LoggerFactory = loggerFactory;
});
var options = builder.Options;

await using (var db = new SampleContext(options))
{
    await db.Database.EnsureDeletedAsync();
    await db.Database.EnsureCreatedAsync();
    db.Products.AddRange(
        new Product { Id = 1, Name = "Keyboard", Price = 49.99m },
        new Product { Id = 2, Name = "Mouse", Price = 19.50m },
        new Product { Id = 3, Name = "Monitor", Price = 299.00m });
    await db.SaveChangesAsync();
}

await ReadAsync("1st read");
await ReadAsync("2nd read");

await using (var db = new SampleContext(options))
{
    var keyboard = await db.Products.SingleAsync(p => p.Id == 1);
    keyboard.Price = 44.99m;
    await db.SaveChangesAsync();
    Console.WriteLine("SaveChanges: Keyboard now costs 44.99 (the cached result is now stale)");
}

await ReadAsync("3rd read");
await ReadAsync("4th read");

// The reads above are each a first time: the first hit pays for the JIT compiling the hit path, and for EF Core
// compiling its service resolvers once a second context asks for them. A service runs warm, so show what a hit
// costs then too (each read a new context, as above).
const int warmReads = 1000;
var hitsBefore = slowFunction.Calls;
var timings = new double[warmReads];
for (var i = 0; i < warmReads; i++)
{
    await using var db = new SampleContext(options);
    var started = Stopwatch.GetTimestamp();
    _ = await SlowReportAsync(db);
    timings[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}

Array.Sort(timings);
var warmSource = slowFunction.Calls == hitsBefore ? "all hits" : "NOT all hits";
Console.WriteLine(
    $"{warmReads} more reads, {warmSource}: median {timings[warmReads / 2]:0.000} ms, p99 {timings[warmReads * 99 / 100]:0.000} ms");
return 0;

async Task ReadAsync(string label)
{
    await using var db = new SampleContext(options);
    var callsBefore = slowFunction.Calls;
    var started = Stopwatch.GetTimestamp();

    var products = await SlowReportAsync(db);

    var elapsed = Stopwatch.GetElapsedTime(started);
    var source = slowFunction.Calls == callsBefore ? "hit:  from Redis" : "miss: from SQLite";
    Console.WriteLine($"{label}  {source}  {elapsed.TotalMilliseconds,7:0.0} ms  Keyboard = {products[0].Price}");
}

// The "report": every row costs 200 ms inside SQLite. Cacheable() opts this query in.
static Task<List<Product>> SlowReportAsync(SampleContext db)
    => db.Products
        .Where(p => SampleContext.Slow(200))
        .OrderBy(p => p.Id)
        .Cacheable()
        .ToListAsync();
