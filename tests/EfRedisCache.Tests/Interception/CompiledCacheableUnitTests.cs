using EfRedisCache.Keys;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace EfRedisCache.Tests.Interception;

/// <summary>
/// <c>Cacheable</c> in a compiled query: EF Core runs the call itself only when all of it can be evaluated when the
/// query is compiled; after an operator that uses one of the compiled query's parameters, or with a parameter as TTL or
/// tag, the call is left in the tree, and EF Core said only that it "could not be translated" (found by review). No
/// Redis: its address refuses, and the queries go to the database.
/// </summary>
public sealed class CompiledCacheableUnitTests : IDisposable
{
    private static readonly TimeSpan FieldTtl = TimeSpan.FromMinutes(2);

    private readonly ConnectionMultiplexer _multiplexer = ConnectionMultiplexer.Connect("127.0.0.1:1,abortConnect=false,connectTimeout=1");
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly List<string> _log = [];
    private readonly DbContextOptions<ShapeContext> _options;

    public CompiledCacheableUnitTests()
    {
        _connection.Open();
        _options = new DbContextOptionsBuilder<ShapeContext>()
            .UseSqlite(_connection)
            .LogTo(_log.Add, [DbLoggerCategory.Database.Command.Name], LogLevel.Information)
            .UseRedisCacheAside(_multiplexer, o => o.KeyPrefix = "compiled")
            .Options;
        using var context = new ShapeContext(_options);
        context.Database.EnsureCreated();
    }

    public void Dispose()
    {
        _connection.Dispose();
        _multiplexer.Dispose();
    }

    [Fact]
    public void A_parameter_as_ttl_or_tag_is_refused_with_the_rule_and_its_fix()
    {
        var byTtl = EF.CompileQuery((ShapeContext db, TimeSpan ttl) => db.Items.Cacheable(ttl).Count());
        var byTag = EF.CompileQuery((ShapeContext db, string tag) => db.Items.Cacheable(TimeSpan.FromMinutes(1), tag).Count());
        using var context = new ShapeContext(_options);

        foreach (var run in new Action[] { () => byTtl(context, TimeSpan.FromMinutes(1)), () => byTag(context, "catalog") })
        {
            var refused = Assert.Throws<InvalidOperationException>(run);
            Assert.Contains("Cacheable", refused.Message, StringComparison.Ordinal);
            Assert.Contains("constants", refused.Message, StringComparison.Ordinal);
            Assert.Contains("compiled query", refused.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("could not be translated", refused.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Cacheable_after_an_operator_on_a_parameter_marks_the_query()
    {
        var after = EF.CompileQuery((ShapeContext db, int id) => db.Items.Where(i => i.Id > id).Cacheable().Count());
        var afterWithTtl = EF.CompileQuery((ShapeContext db, int id) => db.Items.Where(i => i.Id > id).Cacheable(TimeSpan.FromMinutes(1), "catalog").Count());
        var afterWithField = EF.CompileQuery((ShapeContext db, int id) => db.Items.Where(i => i.Id > id).Cacheable(FieldTtl).Count());
        using var context = new ShapeContext(_options);

        Assert.Equal(0, after(context, 1));
        Assert.Contains(_log, m => m.Contains(QueryMarker.FormatCacheable(null, []), StringComparison.Ordinal));
        Assert.Equal(0, afterWithTtl(context, 1));
        Assert.Contains(_log, m => m.Contains(QueryMarker.FormatCacheable(TimeSpan.FromMinutes(1), ["catalog"]), StringComparison.Ordinal));
        Assert.Equal(0, afterWithField(context, 1));
        Assert.Contains(_log, m => m.Contains(QueryMarker.FormatCacheable(FieldTtl, []), StringComparison.Ordinal));
    }

    [Fact]
    public void An_invalid_constant_ttl_left_to_compilation_is_refused_as_Cacheable_refuses_it()
    {
        var negative = EF.CompileQuery((ShapeContext db, int id) => db.Items.Where(i => i.Id > id).Cacheable(TimeSpan.FromMinutes(-1)).Count());
        using var context = new ShapeContext(_options);

        Assert.Throws<ArgumentOutOfRangeException>(() => negative(context, 1));
    }

    [Fact]
    public void A_captured_ttl_in_a_compiled_query_is_read_when_it_first_runs()
    {
        // What README says: EF Core evaluates the call once, when it compiles the query, wherever Cacheable stands.
        var ttl = TimeSpan.FromMinutes(3);
        var before = EF.CompileQuery((ShapeContext db) => db.Items.Cacheable(ttl).Count());
        var after = EF.CompileQuery((ShapeContext db, int id) => db.Items.Where(i => i.Id > id).Cacheable(ttl).Count());
        using var context = new ShapeContext(_options);

        before(context);
        after(context, 1);
        ttl = TimeSpan.FromMinutes(7);
        before(context);
        after(context, 1);

        Assert.Equal(4, _log.Count(m => m.Contains(QueryMarker.FormatCacheable(TimeSpan.FromMinutes(3), []), StringComparison.Ordinal)));
        Assert.DoesNotContain(_log, m => m.Contains(QueryMarker.FormatCacheable(TimeSpan.FromMinutes(7), []), StringComparison.Ordinal));
    }

    [Fact]
    public void A_captured_ttl_in_an_ordinary_query_keeps_working()
    {
        // Cacheable runs as ordinary code there: the TTL is a value by the time EF Core sees the query.
        var ttl = TimeSpan.FromMinutes(3);
        using var context = new ShapeContext(_options);

        Assert.Equal(0, context.Items.Cacheable(ttl).Count());
        Assert.Equal(0, context.Items.Where(i => context.Items.Cacheable(ttl).Any(j => j.Id == i.Id)).Count());
        Assert.Contains(_log, m => m.Contains(QueryMarker.FormatCacheable(ttl, []), StringComparison.Ordinal));
    }
}
