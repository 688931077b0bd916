using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// PostgreSQL: what decides the rows of one SQL text besides the host, port and database name — the session's
/// search path, the role it logs in as and its settings (row-level security), the parameter's PostgreSQL type or
/// size. Each cached answer must equal the uncached one.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlSessionKeyTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Fact]
    public async Task Two_search_paths_on_one_database_never_read_each_others_entries()
    {
        // Schema-per-tenant: one database, one unqualified SQL text, the connection string's search path picks the tenant.
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        await using (var context = shop.NewUncachedContext())
        {
            await context.Database.ExecuteSqlRawAsync(
                "CREATE SCHEMA tenant_b; CREATE TABLE tenant_b.\"Products\" AS SELECT * FROM public.\"Products\"; " +
                "UPDATE tenant_b.\"Products\" SET \"Name\" = 'Keyboard of tenant B' WHERE \"Id\" = 1");
        }

        var tenantB = shop.Database.ConnectionString + ";Search Path=tenant_b";
        Assert.Equal("Keyboard of tenant B", await KeyboardNameAsync(new ShopContext(Options(tenantB, shop, cached: false))));

        for (var round = 0; round < 2; round++)
        {
            Assert.Equal("Keyboard", await KeyboardNameAsync(shop.NewContext()));
            Assert.Equal("Keyboard of tenant B", await KeyboardNameAsync(new ShopContext(Options(tenantB, shop, cached: true))));
        }
    }

    [Fact]
    public async Task A_write_through_one_connection_string_invalidates_entries_read_through_another()
    {
        // Entries are per session, version keys per database: sessions must not hide each other's writes.
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        var explicitPath = shop.Database.ConnectionString + ";Search Path=public";
        Assert.Equal("Keyboard", await KeyboardNameAsync(new ShopContext(Options(explicitPath, shop, cached: true))));
        Assert.Equal("Keyboard", await KeyboardNameAsync(new ShopContext(Options(explicitPath, shop, cached: true))));

        await using (var writer = shop.NewContext())
        {
            (await writer.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = "Renamed through the other string";
            await writer.SaveChangesAsync();
        }

        Assert.Equal("Renamed through the other string", await KeyboardNameAsync(new ShopContext(Options(explicitPath, shop, cached: true))));
    }

    [Fact]
    public async Task Two_roles_under_row_level_security_never_read_each_others_entries()
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var all = "efrc_all_" + suffix;
        var books = "efrc_books_" + suffix;
        var database = postgres.NewDatabase();
        try
        {
            using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: database);
            await using (var context = shop.NewUncachedContext())
            {
                var setup = $"CREATE ROLE {all} LOGIN; CREATE ROLE {books} LOGIN; " +
                    $"GRANT SELECT ON \"Products\" TO {all}, {books}; " +
                    "ALTER TABLE \"Products\" ENABLE ROW LEVEL SECURITY; " +
                    $"CREATE POLICY by_role ON \"Products\" FOR SELECT USING (current_user = '{all}' OR \"CategoryId\" = {ShopSeed.BooksCategoryId})";
#pragma warning disable EF1003 // role names are generated here, not user input
                await context.Database.ExecuteSqlRawAsync(setup);
#pragma warning restore EF1003
            }

            var asAll = new NpgsqlConnectionStringBuilder(shop.Database.ConnectionString) { Username = all }.ToString();
            var asBooks = new NpgsqlConnectionStringBuilder(shop.Database.ConnectionString) { Username = books }.ToString();
            Assert.Equal([1, 2, 3, 4], await IdsAsync(new ShopContext(Options(asAll, shop, cached: false))));
            Assert.Equal([ShopSeed.NovelId], await IdsAsync(new ShopContext(Options(asBooks, shop, cached: false))));

            for (var round = 0; round < 2; round++)
            {
                Assert.Equal([1, 2, 3, 4], await IdsAsync(new ShopContext(Options(asAll, shop, cached: true))));
                Assert.Equal([ShopSeed.NovelId], await IdsAsync(new ShopContext(Options(asBooks, shop, cached: true))));
            }
        }
        finally
        {
            await DropRolesAsync(database, all, books);
        }
    }

    [Fact]
    public async Task Two_session_settings_under_row_level_security_never_read_each_others_entries()
    {
        // The usual RLS multi-tenancy: one role, the tenant in a session setting (here set by the connection string's
        // Options; a connection interceptor running SET does the same), a policy reading current_setting.
        var reader = "efrc_reader_" + Guid.NewGuid().ToString("N")[..12];
        var database = postgres.NewDatabase();
        try
        {
            using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: database);
            await using (var context = shop.NewUncachedContext())
            {
                var setup = $"CREATE ROLE {reader} LOGIN; GRANT SELECT ON \"Products\" TO {reader}; " +
                    "ALTER TABLE \"Products\" ENABLE ROW LEVEL SECURITY; " +
                    "CREATE POLICY by_setting ON \"Products\" FOR SELECT USING (\"CategoryId\" = current_setting('app.category')::int)";
#pragma warning disable EF1003 // the role name is generated here, not user input
                await context.Database.ExecuteSqlRawAsync(setup);
#pragma warning restore EF1003
            }

            string As(int category) => new NpgsqlConnectionStringBuilder(shop.Database.ConnectionString)
            {
                Username = reader,
                Options = $"-c app.category={category}",
            }.ToString();
            var hardware = As(ShopSeed.HardwareCategoryId);
            var books = As(ShopSeed.BooksCategoryId);
            Assert.Equal([1, 2, 3], await IdsAsync(new ShopContext(Options(hardware, shop, cached: false))));
            Assert.Equal([ShopSeed.NovelId], await IdsAsync(new ShopContext(Options(books, shop, cached: false))));

            for (var round = 0; round < 2; round++)
            {
                Assert.Equal([1, 2, 3], await IdsAsync(new ShopContext(Options(hardware, shop, cached: true))));
                Assert.Equal([ShopSeed.NovelId], await IdsAsync(new ShopContext(Options(books, shop, cached: true))));
            }
        }
        finally
        {
            await DropRolesAsync(database, reader);
        }
    }

    [Fact]
    public async Task Json_and_jsonb_parameters_of_the_same_text_never_share_an_entry()
    {
        // jsonb normalizes the text (key order, spacing), json keeps it: one SQL text, one value, other rows.
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        const string sql = "SELECT * FROM \"Products\" WHERE \"Id\" = 1 AND @doc::text = '{{\"a\": 1, \"b\": 2}}'"; // braces doubled: FromSqlRaw formats the text
        NpgsqlParameter Json() => new("doc", NpgsqlDbType.Json) { Value = "{\"b\":2,\"a\":1}" };
        NpgsqlParameter Jsonb() => new("doc", NpgsqlDbType.Jsonb) { Value = "{\"b\":2,\"a\":1}" };

        Assert.Empty(await RawIdsAsync(shop.NewUncachedContext(), sql, Json()));
        Assert.Equal([1], await RawIdsAsync(shop.NewUncachedContext(), sql, Jsonb()));
        for (var round = 0; round < 2; round++)
        {
            Assert.Empty(await RawIdsAsync(shop.NewContext(), sql, Json()));
            Assert.Equal([1], await RawIdsAsync(shop.NewContext(), sql, Jsonb()));
        }
    }

    [Fact]
    public async Task String_parameter_with_a_size_gives_the_uncached_rows()
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        const string sql = "SELECT * FROM \"Products\" WHERE \"Name\" = @name";
        NpgsqlParameter Sized() => new("name", NpgsqlDbType.Text) { Value = "Keyboard and mouse", Size = "Keyboard".Length };
        NpgsqlParameter Whole() => new("name", NpgsqlDbType.Text) { Value = "Keyboard and mouse" };

        var truthSized = await RawIdsAsync(shop.NewUncachedContext(), sql, Sized());
        var truthWhole = await RawIdsAsync(shop.NewUncachedContext(), sql, Whole());
        for (var round = 0; round < 2; round++)
        {
            Assert.Equal(truthSized, await RawIdsAsync(shop.NewContext(), sql, Sized()));
            Assert.Equal(truthWhole, await RawIdsAsync(shop.NewContext(), sql, Whole()));
        }
    }

    private DbContextOptions<ShopContext> Options(string connectionString, ShopHarness shop, bool cached)
    {
        var builder = new DbContextOptionsBuilder<ShopContext>().UseNpgsql(connectionString);
        if (cached)
        {
            builder.UseRedisCacheAside(redis.Connection, o =>
            {
                o.KeyPrefix = shop.KeyPrefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
            });
        }

        return builder.Options;
    }

    private static async Task<string> KeyboardNameAsync(ShopContext context)
    {
        await using (context)
        {
            return await context.Products.Where(p => p.Id == ShopSeed.KeyboardId).Select(p => p.Name).Cacheable().SingleAsync();
        }
    }

    private static async Task<List<int>> IdsAsync(ShopContext context)
    {
        await using (context)
        {
            return await context.Products.OrderBy(p => p.Id).Select(p => p.Id).Cacheable().ToListAsync();
        }
    }

    private static async Task<List<int>> RawIdsAsync(ShopContext context, string sql, NpgsqlParameter parameter)
    {
        await using (context)
        {
            return await context.Products.FromSqlRaw(sql, parameter).AsNoTracking().Select(p => p.Id).OrderBy(id => id).Cacheable().ToListAsync();
        }
    }

    /// <summary>Roles belong to the server, not to the test's database: dropped once it is gone.</summary>
    private static async Task DropRolesAsync(PostgresTestDatabase database, params string[] roles)
    {
        database.Dispose();
        var maintenance = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = "postgres" }.ToString();
        await using var connection = new NpgsqlConnection(maintenance);
        await connection.OpenAsync();
        await using var drop = connection.CreateCommand();
        drop.CommandText = string.Join("; ", roles.Select(role => $"DROP ROLE IF EXISTS {role}"));
        await drop.ExecuteNonQueryAsync();
    }
}
