using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Ef10Mappings;

/// <summary>
/// Invariants 1 and 2 over the model mappings of EF Core 10 (<see cref="AtelierContext"/>): each query of
/// <see cref="Ef10MappingCases"/> reads the same from a hit as from the database, in a new context and in one that
/// already tracks the rows (EF Core then reads only their keys, and the hit's context converts the rest); each write —
/// SaveChanges of a split-off column, of a table split's dependent, of complex types in columns and in JSON,
/// <c>ExecuteUpdate</c> of complex types, structs and JSON documents, with a statement lambda too — is seen by the next
/// read of every query it changed; and lists in every parameterized-collection mode never share an entry. Run on
/// SQLite (<see cref="Ef10MappingTests"/>) and PostgreSQL (<see cref="PostgreSql.PostgreSqlEf10MappingTests"/>).
/// </summary>
public abstract class Ef10MappingSuite(RedisServerFixture redis, ITestDatabase database) : IDisposable
{
    private readonly DatabaseCommandCounter _counter = new();
    private string _keyPrefix = redis.NewKeyPrefix();

    [Fact]
    public async Task Every_query_reads_the_same_from_a_hit_whatever_the_miss_and_the_hit_tracked()
    {
        await SeedAsync();
        var differences = new List<string>();
        foreach (var (name, query) in Ef10MappingCases.Queries)
        {
            foreach (var missTracks in new[] { false, true })
            {
                _keyPrefix = redis.NewKeyPrefix(); // a miss of its own for each way of recording it
                var (truth, _) = await ReadAsync(query, cached: false, tracking: false);
                var (trackedTruth, _) = await ReadAsync(query, cached: false, tracking: true);
                var (miss, _) = await ReadAsync(query, cached: true, tracking: missTracks);
                var (hit, hitQueries) = await ReadAsync(query, cached: true, tracking: false);
                var (trackedHit, trackedHitQueries) = await ReadAsync(query, cached: true, tracking: true);
                if (hitQueries + trackedHitQueries > 0)
                {
                    differences.Add($"{name} (miss tracked rows: {missTracks}): a read after the miss reached the database");
                }

                foreach (var (what, value, expected) in new[] { ("miss", miss, missTracks ? trackedTruth : truth), ("hit", hit, truth), ("hit in a tracking context", trackedHit, trackedTruth) })
                {
                    if (value != expected)
                    {
                        differences.Add($"{name} (miss tracked rows: {missTracks}), {what}:\n  cached:   {value}\n  database: {expected}");
                    }
                }
            }
        }

        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    [Theory]
    [MemberData(nameof(Ef10MappingCases.WriteNames), MemberType = typeof(Ef10MappingCases))]
    public async Task A_write_is_seen_by_the_next_read_of_every_query_it_changed(string write)
    {
        await SeedAsync();
        var before = new Dictionary<string, string>();
        foreach (var (name, query) in Ef10MappingCases.Queries)
        {
            await ReadAsync(query, cached: true, tracking: false);
            (before[name], var queries) = await ReadAsync(query, cached: true, tracking: false);
            Assert.True(queries == 0, $"{name}: the second read should be a hit");
        }

        await using (var writer = NewContext(cached: true))
        {
            Assert.True(await Ef10MappingCases.Writes[write](writer) > 0, $"{write}: wrote no row, so the test proves nothing");
        }

        var changed = 0;
        var stale = new List<string>();
        foreach (var (name, query) in Ef10MappingCases.Queries)
        {
            var (truth, _) = await ReadAsync(query, cached: false, tracking: false);
            var (cached, _) = await ReadAsync(query, cached: true, tracking: false);
            changed += truth == before[name] ? 0 : 1;
            if (cached != truth)
            {
                stale.Add($"{name}:\n  cached:   {cached}\n  database: {truth}\n  before:   {before[name]}");
            }
        }

        Assert.True(stale.Count == 0, $"{write}: stale reads\n" + string.Join("\n", stale));
        Assert.True(changed > 0, $"{write}: changed no query's answer, so the test proves nothing");
    }

    [Fact]
    public async Task Lists_of_other_lengths_or_contents_never_share_an_entry_in_any_collection_mode()
    {
        await SeedAsync();
        int[][] lists = [[1], [1, 2], [1, 2, 3], [3, 2, 1], [2], [3], [], [1, 1, 1], [1, 2, 3, 4], [4, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]];
        var queries = new Dictionary<string, Func<AtelierContext, int[], Task<string>>>
        {
            ["Contains"] = async (c, ids) => string.Join(",", await c.Works.Where(w => ids.Contains(w.Id)).OrderBy(w => w.Id).Select(w => w.Id).Cacheable().ToListAsync()),
            ["EF.Constant"] = async (c, ids) => string.Join(",", await c.Works.Where(w => EF.Constant(ids).Contains(w.Id)).OrderBy(w => w.Id).Select(w => w.Id).Cacheable().ToListAsync()),
            ["EF.Parameter"] = async (c, ids) => string.Join(",", await c.Works.Where(w => EF.Parameter(ids).Contains(w.Id)).OrderBy(w => w.Id).Select(w => w.Id).Cacheable().ToListAsync()),
            ["EF.MultipleParameters"] = async (c, ids) => string.Join(",", await c.Works.Where(w => EF.MultipleParameters(ids).Contains(w.Id)).OrderBy(w => w.Id).Select(w => w.Id).Cacheable().ToListAsync()),
            ["Count"] = async (c, ids) => string.Join(",", await c.Works.OrderBy(w => w.Id).Select(w => ids.Count(i => i >= w.Id)).Cacheable().ToListAsync()),
            ["Count over EF.MultipleParameters"] = async (c, ids) => string.Join(",", await c.Works.OrderBy(w => w.Id).Select(w => EF.MultipleParameters(ids).Count(i => i >= w.Id)).Cacheable().ToListAsync()),
            ["Sum"] = async (c, ids) => string.Join(",", await c.Works.OrderBy(w => w.Id).Select(w => ids.Where(i => i != w.Id).Sum()).Cacheable().ToListAsync()),
            ["key lookup by the smallest"] = async (c, ids) => string.Join(",", await c.Works.Where(w => ids.OrderBy(i => i).FirstOrDefault() == w.Id).Select(w => w.Id).Cacheable().ToListAsync()),
        };
        var differences = new List<string>();
        foreach (var mode in new ParameterTranslationMode?[] { null, ParameterTranslationMode.Constant, ParameterTranslationMode.Parameter, ParameterTranslationMode.MultipleParameters })
        {
            foreach (var (name, query) in queries)
            {
                _keyPrefix = redis.NewKeyPrefix();
                for (var round = 0; round < 2; round++)
                {
                    foreach (var ids in lists)
                    {
                        var truth = await AnswerOrExceptionAsync(async () =>
                        {
                            await using var context = NewContext(cached: false, mode);
                            return await query(context, ids);
                        });
                        var cached = await AnswerOrExceptionAsync(async () =>
                        {
                            await using var context = NewContext(cached: true, mode);
                            return await query(context, ids);
                        });

                        if (truth != cached)
                        {
                            differences.Add($"{mode?.ToString() ?? "default"} mode, {name} of [{string.Join(",", ids)}], round {round}: cached {cached}, database {truth}");
                        }
                    }
                }
            }
        }

        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    public void Dispose()
    {
        database.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task SeedAsync()
    {
        await using var context = NewContext(cached: false);
        await Ef10MappingCases.SeedAsync(context);
    }

    /// <summary>
    /// Reads through a new context (<paramref name="tracking"/>: one that already tracks every row), with the number of
    /// database queries the read itself cost.
    /// </summary>
    private async Task<(string Value, int Queries)> ReadAsync(Func<AtelierContext, Task<string>> query, bool cached, bool tracking)
    {
        await using var context = NewContext(cached);
        if (tracking)
        {
            await Ef10MappingCases.TrackEverythingAsync(context);
        }

        var before = _counter.Queries;
        var value = await query(context);
        return (value, _counter.Queries - before);
    }

    /// <summary>The answer, or the exception the query threw: where the provider cannot translate a mode, the cache must throw alike.</summary>
    private static async Task<string> AnswerOrExceptionAsync(Func<Task<string>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
        {
            return "throws " + e.GetType().Name;
        }
    }

    private AtelierContext NewContext(bool cached, ParameterTranslationMode? collectionMode = null)
    {
        var builder = new DbContextOptionsBuilder<AtelierContext>();
        if (database is PostgresTestDatabase)
        {
            builder.UseNpgsql(database.ConnectionString, o =>
            {
                if (collectionMode is { } mode)
                {
                    o.UseParameterizedCollectionMode(mode);
                }
            });
        }
        else
        {
            builder.UseSqlite(database.ConnectionString, o =>
            {
                if (collectionMode is { } mode)
                {
                    o.UseParameterizedCollectionMode(mode);
                }
            });
        }

        if (cached)
        {
            builder.UseRedisCacheAside(redis.Connection, o =>
            {
                o.KeyPrefix = _keyPrefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
            });
        }

        builder.AddInterceptors(_counter);
        return new AtelierContext(builder.Options);
    }
}
