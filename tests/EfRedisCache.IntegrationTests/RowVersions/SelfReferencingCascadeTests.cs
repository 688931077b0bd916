using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>
/// A delete whose foreign keys cascade into its own table (a tree: folders, threaded replies) changes rows of
/// that table the change tracker never saw. Their key lookups depend on their row versions and the table's bulk
/// epoch only, so the delete must bump the bulk epoch, as it does for a cascade into another table.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SelfReferencingCascadeTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Deleting_a_parent_kills_the_cached_key_lookup_of_a_child_the_database_set_null(string provider)
    {
        using var tree = new TreeDatabase(redis, provider == "sqlite" ? new SqliteTestDatabase() : postgres.NewDatabase());
        static Task<int?> ParentOf(TreeContext c) => c.Folders.Where(f => f.Id == 2).Select(f => f.ParentId).Cacheable().SingleAsync();

        for (var i = 0; i < 2; i++)
        {
            await using var context = tree.Cached();
            Assert.Equal(1, await ParentOf(context));
        }

        await using (var writer = tree.Cached())
        {
            writer.Folders.Remove(await writer.Folders.SingleAsync(f => f.Id == 1)); // the child is not loaded: the database nulls its key
            await writer.SaveChangesAsync();
        }

        await using (var context = tree.Uncached())
        {
            Assert.Null(await context.Folders.Where(f => f.Id == 2).Select(f => f.ParentId).SingleAsync());
        }

        await using (var reader = tree.Cached())
        {
            Assert.Null(await ParentOf(reader));
        }
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Deleting_a_parent_kills_the_cached_key_lookup_of_a_child_the_database_deleted(string provider)
    {
        using var tree = new TreeDatabase(redis, provider == "sqlite" ? new SqliteTestDatabase() : postgres.NewDatabase());
        static Task<Reply?> Child(TreeContext c) => c.Replies.AsNoTracking().Cacheable().FirstOrDefaultAsync(r => r.Id == 2);

        for (var i = 0; i < 2; i++)
        {
            await using var context = tree.Cached();
            Assert.NotNull(await Child(context));
        }

        await using (var writer = tree.Cached())
        {
            writer.Replies.Remove(await writer.Replies.SingleAsync(r => r.Id == 1));
            await writer.SaveChangesAsync();
        }

        await using (var reader = tree.Cached())
        {
            Assert.Null(await Child(reader));
        }
    }
}
