using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// SQLite's URI spelling of an in-memory database, <c>file::memory:</c> (with <c>?cache=shared</c>, the form SQLite's
/// documentation gives for sharing one between connections), names no file, nor does a <c>vfs=memdb</c> URI (SQLite's in-memory file system): like <c>:memory:</c> and
/// <c>Mode=Memory</c>, a database of that name is another one in every process and after every re-creation, so
/// two of them must never read each other's entries.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class InMemoryUriIdentityTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData("Data Source=file::memory:?cache=shared")]
    [InlineData("Data Source=file::memory:")]
    [InlineData("Data Source=file:/efrc-memdb?vfs=memdb")]
    public async Task In_memory_databases_named_by_a_file_uri_never_share_entries(string connectionString)
    {
        var prefix = redis.NewKeyPrefix();
        Assert.Equal("Keyboard", await ReadKeyboardNameAsync(connectionString, prefix, keyboardName: "Keyboard"));

        // The first database is gone with its last connection; a new one of the same name holds other data.
        Assert.Equal("Keyboard of the second database", await ReadKeyboardNameAsync(connectionString, prefix, keyboardName: "Keyboard of the second database"));
    }

    /// <summary>
    /// Microsoft.Data.Sqlite takes the VFS as a keyword of its own too (<c>Vfs=memdb</c>), with a plain file name as
    /// the data source; and SQLite ignores a URI's fragment and decodes its query's values, so
    /// <c>?vfs=memdb#…</c> and <c>?vfs=%6Demdb</c> are the in-memory file system as well.
    /// </summary>
    [Theory]
    [InlineData("Data Source=/efrc-vfs-keyword;Vfs=memdb")]
    [InlineData("Data Source=file:/efrc-memdb-fragment?vfs=memdb#f")]
    [InlineData("Data Source=file:/efrc-memdb-escaped?vfs=%6Demdb")]
    public async Task In_memory_databases_on_the_memdb_file_system_in_other_spellings_never_share_entries(string connectionString)
    {
        var prefix = redis.NewKeyPrefix();
        Assert.Equal("Keyboard", await ReadKeyboardNameAsync(connectionString, prefix, keyboardName: "Keyboard"));
        Assert.Equal("Keyboard of the second database", await ReadKeyboardNameAsync(connectionString, prefix, keyboardName: "Keyboard of the second database"));
        Assert.False(File.Exists("/efrc-vfs-keyword") || File.Exists("/efrc-memdb-fragment") || File.Exists("/efrc-memdb-escaped"), "SQLite wrote a file: the premise of the test, an in-memory database, does not hold");
    }

    /// <summary>
    /// Microsoft.Data.Sqlite reads <c>Data Source</c>, <c>DataSource</c> and <c>Filename</c> as one keyword, the last
    /// one given winning (a connection string a test or a configuration layer appended to): the database is the
    /// in-memory one the later alias names, not the file the first one does.
    /// </summary>
    [Theory]
    [InlineData("Data Source=/tmp/efrc-alias-file.db;Filename=:memory:")]
    [InlineData("DataSource=/tmp/efrc-alias-file.db;Filename=:memory:")]
    public async Task An_in_memory_database_named_by_a_later_alias_of_the_data_source_never_shares_entries(string connectionString)
    {
        var prefix = redis.NewKeyPrefix();
        Assert.Equal("Keyboard", await ReadKeyboardNameAsync(connectionString, prefix, keyboardName: "Keyboard"));
        Assert.False(File.Exists("/tmp/efrc-alias-file.db"), "SQLite wrote the file: the premise of the test, an in-memory database, does not hold");
        Assert.Equal("Keyboard of the second database", await ReadKeyboardNameAsync(connectionString, prefix, keyboardName: "Keyboard of the second database"));
    }

    /// <summary>
    /// Creates the in-memory database on one connection kept open, seeds it, and reads the keyboard through the
    /// cache on that same connection (a private in-memory database is seen by its own connection only); then drops it.
    /// </summary>
    private async Task<string> ReadKeyboardNameAsync(string connectionString, string prefix, string keyboardName)
    {
        try
        {
            return await ReadOnOneConnectionAsync(connectionString, prefix, keyboardName);
        }
        finally
        {
            // The pool keeps a closed connection's native handle, and with it the database: drop them.
            using var pooled = new SqliteConnection(connectionString);
            SqliteConnection.ClearPool(pooled);
        }
    }

    private async Task<string> ReadOnOneConnectionAsync(string connectionString, string prefix, string keyboardName)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using (var context = new ShopContext(new DbContextOptionsBuilder<ShopContext>().UseSqlite(connection).Options))
        {
            await context.Database.EnsureCreatedAsync();
            ShopSeed.Seed(context);
            (await context.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = keyboardName;
            await context.SaveChangesAsync();
        }

        var cached = new DbContextOptionsBuilder<ShopContext>()
            .UseSqlite(connection)
            .UseRedisCacheAside(redis.Connection, o => o.KeyPrefix = prefix)
            .Options;
        await using (var context = new ShopContext(cached))
        {
            return (await context.Products.Where(p => p.Id == ShopSeed.KeyboardId).Cacheable().SingleAsync()).Name;
        }
    }
}
