using EfRedisCache.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace EfRedisCache.Tests.Runtime;

/// <summary>
/// <see cref="CacheRuntime.TableRulesFor"/> runs on every query the cache plans: once a model's rules are known it must
/// not allocate, and the warning about a rule that names no entity of the model (event 1201) is said once per model and
/// rule, also when the model's first queries arrive together (a service's first requests).
/// </summary>
public sealed class TableRulesUnitTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Known_rules_are_found_without_allocating(bool withRules)
    {
        // No Redis needed: the runtime is built at configuration time, the connection is never used.
        using var multiplexer = ConnectionMultiplexer.Connect("127.0.0.1:1,abortConnect=false,connectTimeout=1");
        using var context = NewContext(multiplexer, o =>
        {
            if (withRules)
            {
                o.CacheEntity<RuleItem>(TimeSpan.FromMinutes(1));
            }
        });
        var runtime = RuntimeOf(context);
        _ = runtime.TableRulesFor(context);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            _ = runtime.TableRulesFor(context);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public async Task A_rule_naming_no_entity_is_reported_once_when_the_first_queries_arrive_together()
    {
        using var multiplexer = ConnectionMultiplexer.Connect("127.0.0.1:1,abortConnect=false,connectTimeout=1");
        using var logs = new SlowLoggerProvider(TimeSpan.FromMilliseconds(300));
        using var loggerFactory = new LoggerFactory([logs]);
        var options = OptionsFor(multiplexer, o =>
        {
            o.LoggerFactory = loggerFactory;
            o.NeverCache<string>(); // not an entity of the model
        });
        var contexts = Enumerable.Range(0, 4).Select(_ => new RuleContext(options)).ToList();
        contexts.ForEach(c => _ = c.Model);
        var runtime = RuntimeOf(contexts[0]);

        using var start = new Barrier(contexts.Count);
        await Task.WhenAll(contexts.Select(context => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                _ = runtime.TableRulesFor(context);
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)));
        contexts.ForEach(c => c.Dispose());

        Assert.Single(logs.EventNames, name => name == "EntityRuleMatchesNoEntity");
    }

    private static RuleContext NewContext(IConnectionMultiplexer multiplexer, Action<RedisCacheAsideOptions> configure)
        => new(OptionsFor(multiplexer, configure));

    private static DbContextOptions<RuleContext> OptionsFor(IConnectionMultiplexer multiplexer, Action<RedisCacheAsideOptions> configure)
        => new DbContextOptionsBuilder<RuleContext>()
            .UseSqlite("Data Source=rules.db")
            .UseRedisCacheAside(multiplexer, o =>
            {
                o.KeyPrefix = "rules";
                configure(o);
            })
            .Options;

    private static CacheRuntime RuntimeOf(DbContext context)
        => context.GetService<IDbContextOptions>().FindExtension<RedisCacheAsideOptionsExtension>()!.Runtime;
}
