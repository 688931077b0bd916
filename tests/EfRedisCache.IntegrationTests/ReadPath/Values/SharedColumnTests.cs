using System.Globalization;
using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>
/// A TPH column shared by two leaves that read it as different types (<see cref="DatedNote.When"/> as a
/// <see cref="DateTime"/>, <see cref="TextNote.Text"/> as a string), recorded by a miss in a context that already
/// tracks the text row, so EF Core reads only that row's key and the recording reader fills its other cells itself
/// with the getters it learnt from the rows EF Core did read.
/// </summary>
/// <remarks>
/// EF Core 10 projects the shared column once per property (<c>SELECT Id, Discriminator, Value, Value</c>) and the
/// recording reader learns a getter per ordinal, so the text row's <c>Text</c> cell is recorded with
/// <c>GetValue</c> (its ordinal was never read), not with the <c>GetDateTime</c> learnt from the date row's
/// <c>When</c> ordinal. This test fails if that ever changes (getters learnt per column name, or one projection
/// for both properties): the text <c>2024-01-02</c> is also a date, so <c>GetDateTime</c> succeeds on it, the entry
/// holds a <see cref="DateTime"/>, and the hit's <c>GetString</c> gives <c>2024-01-02T00:00:00.0000000</c>. The date
/// row comes first so its getter is learnt before the text row is filled. (Text that is no date makes the recording
/// fail instead, and the miss stores nothing: no wrong value, so not asserted here.)
/// </remarks>
[Collection(RedisCollection.Name)]
public sealed class SharedColumnTests(RedisServerFixture redis)
{
    [Fact]
    public async Task A_skipped_row_of_one_leaf_reads_the_shared_column_as_its_own_type_on_a_hit()
    {
        using var database = new SqliteTestDatabase();
        await using (var context = new SharedColumnNoteContext(database.CreateOptions<SharedColumnNoteContext>()))
        {
            await context.Database.EnsureCreatedAsync();
            context.Notes.AddRange(
                new DatedNote { Id = 1, When = new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Unspecified) },
                new TextNote { Id = 2, Text = "2024-01-02" });
            await context.SaveChangesAsync();
        }

        var prefix = redis.NewKeyPrefix();
        var counter = new DatabaseCommandCounter();
        SharedColumnNoteContext Cached() => new(database.CreateOptions<SharedColumnNoteContext>(b => b
            .UseRedisCacheAside(redis.Connection, o =>
            {
                o.KeyPrefix = prefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
                o.LocalCacheMaxBytes = 0; // the hit decodes what the miss recorded
            })
            .AddInterceptors(counter)));

        List<string> truth;
        await using (var context = new SharedColumnNoteContext(database.CreateOptions<SharedColumnNoteContext>()))
        {
            truth = Describe(await context.Notes.AsNoTracking().OrderBy(n => n.Id).ToListAsync());
        }

        Assert.Equal(["2024-05-06T07:08:09.0000000", "2024-01-02"], truth);

        await using (var context = Cached())
        {
            context.Attach(new TextNote { Id = 2 }); // the miss materializes row 1 (a date) and reads only the key of row 2
            await context.Notes.OrderBy(n => n.Id).Cacheable().ToListAsync();
        }

        await using (var context = Cached())
        {
            Assert.Equal(truth, Describe(await context.Notes.OrderBy(n => n.Id).Cacheable().ToListAsync()));
        }

        Assert.Equal(1, counter.Queries); // the miss stored its rows and the second read was a hit
    }

    private static List<string> Describe(List<SharedColumnNote> notes) => [.. notes.Select(n => n switch
    {
        DatedNote dated => dated.When.ToString("O", CultureInfo.InvariantCulture),
        TextNote text => text.Text,
        _ => "?",
    })];
}
