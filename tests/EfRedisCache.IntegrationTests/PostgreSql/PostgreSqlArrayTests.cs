using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// PostgreSQL arrays (<c>int[]</c>, <c>List&lt;string&gt;</c>, <c>int?[]</c> properties, and the <c>= ANY(@ids)</c>
/// that <c>Contains</c> over a list becomes): cached like any other column or parameter, exactly, and never
/// shared with the application.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlArrayTests(RedisServerFixture redis, PostgresFixture postgres) : IDisposable
{
    private readonly PostgresTestDatabase _database = postgres.NewDatabase();
    private readonly DatabaseCommandCounter _counter = new();
    private readonly string _prefix = redis.NewKeyPrefix();

    [Fact]
    public async Task Array_columns_are_cached_and_read_back_exactly()
    {
        await SeedAsync();
        var truth = Describe(await ReadAsync(NewUncachedContext()));
        Assert.Equal(Describe(await ReadAsync(NewContext())), truth);
        Assert.Equal(Describe(await ReadAsync(NewContext())), truth);
        Assert.Equal(1, _counter.Queries);
        Assert.Equal("first|1,2,3|a,b|1,-,3", truth[0]);
    }

    [Fact]
    public async Task Writing_into_an_array_of_a_hit_leaves_the_next_hit_alone()
    {
        await SeedAsync();
        var truth = Describe(await ReadAsync(NewContext()));
        var hit = await ReadAsync(NewContext());
        hit[0].Scores[0] = 99;
        hit[0].Labels.Add("mutated");
        hit[0].Optional[1] = 5;

        Assert.Equal(truth, Describe(await ReadAsync(NewContext())));
        Assert.Equal(1, _counter.Queries);
    }

    [Fact]
    public async Task A_save_that_changes_an_array_is_seen_by_the_next_read()
    {
        await SeedAsync();
        await ReadAsync(NewContext());
        await ReadAsync(NewContext());
        await using (var writer = NewContext())
        {
            var survey = await writer.Surveys.SingleAsync(s => s.Name == "first");
            survey.Scores = [7];
            survey.Labels.Add("c");
            await writer.SaveChangesAsync();
        }

        Assert.Contains("first|7|a,b,c|1,-,3", Describe(await ReadAsync(NewContext())));
    }

    [Fact]
    public async Task Contains_over_a_list_parameter_is_cached_per_list_and_refreshed_by_a_write()
    {
        await SeedAsync();
        List<int> firstOnly = [1];
        List<int> both = [1, 2];
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(["first"], await NamesAsync(NewContext(), firstOnly));
            Assert.Equal(["first", "second"], await NamesAsync(NewContext(), both));
        }

        Assert.Equal(2, _counter.Queries); // one miss per list; the second round hits, each under its own list

        await using (var writer = NewContext())
        {
            (await writer.Surveys.SingleAsync(s => s.Id == 2)).Name = "renamed";
            await writer.SaveChangesAsync();
        }

        _counter.Reset();
        Assert.Equal(["first", "renamed"], await NamesAsync(NewContext(), both));
        Assert.Equal(1, _counter.Queries);

        static async Task<List<string>> NamesAsync(SurveyContext context, List<int> ids)
        {
            await using (context)
            {
                return await context.Surveys.Where(s => ids.Contains(s.Id)).OrderBy(s => s.Id).Select(s => s.Name).Cacheable().ToListAsync();
            }
        }
    }

    public void Dispose() => _database.Dispose();

    private SurveyContext NewContext() => new(_database.CreateOptions<SurveyContext>(b => b
        .UseRedisCacheAside(redis.Connection, o => o.KeyPrefix = _prefix)
        .AddInterceptors(_counter)));

    private SurveyContext NewUncachedContext() => new(_database.CreateOptions<SurveyContext>());

    private async Task SeedAsync()
    {
        await using var context = NewUncachedContext();
        await context.Database.EnsureCreatedAsync();
        context.Surveys.AddRange(
            new Survey { Id = 1, Name = "first", Scores = [1, 2, 3], Labels = ["a", "b"], Optional = [1, null, 3] },
            new Survey { Id = 2, Name = "second", Scores = [], Labels = [], Optional = [] });
        await context.SaveChangesAsync();
        _counter.Reset();
    }

    private static async Task<List<Survey>> ReadAsync(SurveyContext context)
    {
        await using (context)
        {
            return await context.Surveys.AsNoTracking().OrderBy(s => s.Id).Cacheable().ToListAsync();
        }
    }

    private static List<string> Describe(List<Survey> surveys) => surveys
        .Select(s => $"{s.Name}|{string.Join(",", s.Scores)}|{string.Join(",", s.Labels)}|{string.Join(",", s.Optional.Select(o => o?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"))}")
        .ToList();
}
