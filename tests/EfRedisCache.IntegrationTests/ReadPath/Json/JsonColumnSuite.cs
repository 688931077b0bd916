using System.Text.Json;
using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Json;

/// <summary>
/// Invariants 1 and 2 for JSON columns: an owned type and a complex type stored with <c>ToJson()</c> and primitive
/// collections read the same from a hit as from the database, queries into them are cached, and a save that
/// changes only a JSON document or a collection is seen by the next read. Each provider stores and reads them its
/// own way (SQLite: text and <c>json_each</c>; PostgreSQL: <c>jsonb</c> and arrays), hence one suite run on both
/// (<see cref="JsonColumnTests"/>, <see cref="PostgreSql.PostgreSqlJsonColumnTests"/>).
/// </summary>
public abstract class JsonColumnSuite(RedisServerFixture redis, ITestDatabase database) : IDisposable
{
    private readonly DatabaseCommandCounter _counter = new();
    private readonly string _keyPrefix = redis.NewKeyPrefix();

    [Fact]
    public async Task Json_documents_and_primitive_collections_read_the_same_from_a_hit()
    {
        await SeedAsync();

        var truth = await ReadAsync(cached: false, c => c.Customers.AsNoTracking().OrderBy(x => x.Id).Cacheable().ToListAsync());
        var miss = await ReadAsync(cached: true, c => c.Customers.AsNoTracking().OrderBy(x => x.Id).Cacheable().ToListAsync());
        var queries = _counter.Queries;
        var hit = await ReadAsync(cached: true, c => c.Customers.AsNoTracking().OrderBy(x => x.Id).Cacheable().ToListAsync());

        Assert.Equal(queries, _counter.Queries); // a hit
        Assert.Equal(Json(truth), Json(miss));
        Assert.Equal(Json(truth), Json(hit));
        Assert.Equal("Zürich", hit[0].Address!.City);
        Assert.Equal(["Line 1", "Line 2"], hit[0].Address!.Lines.Select(l => l.Text));
        Assert.Equal(["Bo", "Bobby"], hit[0].Nicknames);
        Assert.Null(hit[1].Address);
    }

    [Fact]
    public async Task Queries_into_json_documents_and_collections_are_cached_and_see_the_next_save()
    {
        await SeedAsync();
        string[] ids = ["Bo"];

        async Task<List<string>> QueryAsync() => await ReadAsync(cached: true, c => c.Customers
            .Where(x => x.Address!.City == "Zürich" || x.Nicknames.Contains(ids[0]) || x.Preferences.Language == "de")
            .OrderBy(x => x.Id)
            .Select(x => x.Name + "/" + x.Address!.City + "/" + x.Preferences.Language + "/" + x.Scores.Count)
            .Cacheable()
            .ToListAsync());

        Assert.Equal(["Ann/Zürich/en/3"], await QueryAsync());
        var queries = _counter.Queries;
        Assert.Equal(["Ann/Zürich/en/3"], await QueryAsync());
        Assert.Equal(queries, _counter.Queries);

        // Each save changes one kind of column only: the complex type's document, the collection, the owned document.
        await SaveAsync("Bea", bea => bea.Preferences.Language = "de");
        Assert.Equal(["Ann/Zürich/en/3", "Bea//de/0"], await QueryAsync());

        await SaveAsync("Bea", bea => bea.Scores.Add(7));
        Assert.Equal(["Ann/Zürich/en/3", "Bea//de/1"], await QueryAsync());

        await SaveAsync("Ann", ann => ann.Address!.City = "Bern");
        Assert.Equal(["Ann/Bern/en/3", "Bea//de/1"], await QueryAsync());

        await SaveAsync("Ann", ann => ann.Nicknames.Remove("Bo"));
        await SaveAsync("Ann", ann => ann.Address!.City = "Basel");
        Assert.Equal(["Bea//de/1"], await QueryAsync());
    }

    [Fact]
    public async Task A_key_lookup_sees_every_save_that_changed_only_an_owned_json_document()
    {
        await SeedAsync();
        var annId = await IdOfAsync("Ann");

        async Task<string> LookupAsync() => await ReadAsync(cached: true, async c =>
        {
            var ann = await c.Customers.AsNoTracking().Cacheable().SingleAsync(x => x.Id == annId);
            return ann.Address is null ? "no address" : ann.Address.City + "/" + string.Join(",", ann.Address.Lines.Select(l => l.Text));
        });

        Assert.Equal("Zürich/Line 1,Line 2", await LookupAsync());
        var queries = _counter.Queries;
        Assert.Equal("Zürich/Line 1,Line 2", await LookupAsync());
        Assert.Equal(queries, _counter.Queries); // a hit

        await SaveAsync("Ann", ann => ann.Address!.City = "Bern");
        Assert.Equal("Bern/Line 1,Line 2", await LookupAsync());

        await SaveAsync("Ann", ann => ann.Address!.Lines.Add(new AddressLine { Text = "Line 3" }));
        Assert.Equal("Bern/Line 1,Line 2,Line 3", await LookupAsync());

        await SaveAsync("Ann", ann => ann.Address!.Lines.RemoveAt(0));
        Assert.Equal("Bern/Line 2,Line 3", await LookupAsync());

        await SaveAsync("Ann", ann => ann.Address = null);
        Assert.Equal("no address", await LookupAsync());

        await SaveAsync("Ann", ann => ann.Address = new JsonAddress { City = "Chur" });
        Assert.Equal("Chur/", await LookupAsync());
    }

    [Fact]
    public async Task Saving_one_customers_json_documents_keeps_the_cached_key_lookup_of_another()
    {
        await SeedAsync();
        var beaId = await IdOfAsync("Bea");

        async Task<string> LookupAsync() => await ReadAsync(cached: true, async c => (await c.Customers.AsNoTracking().Cacheable().SingleAsync(x => x.Id == beaId)).Preferences.Language);

        Assert.Equal("fr", await LookupAsync());
        await SaveAsync("Ann", ann => ann.Address!.City = "Bern");
        await SaveAsync("Ann", ann => ann.Address!.Lines.Add(new AddressLine { Text = "Line 3" }));
        await SaveAsync("Ann", ann => ann.Preferences.Newsletter = false);
        var queries = _counter.Queries;
        Assert.Equal("fr", await LookupAsync());
        Assert.Equal(queries, _counter.Queries); // still a hit: only Ann's row changed
    }

    [Fact]
    public async Task ExecuteUpdate_into_a_json_document_is_seen_by_the_next_key_lookup_and_query()
    {
        await SeedAsync();
        var beaId = await IdOfAsync("Bea");

        async Task<string> LookupAsync() => await ReadAsync(cached: true, async c => (await c.Customers.AsNoTracking().Cacheable().SingleAsync(x => x.Id == beaId)).Preferences.Language);
        async Task<List<string>> ListAsync() => await ReadAsync(cached: true, c => c.Customers.OrderBy(x => x.Id).Select(x => x.Preferences.Language).Cacheable().ToListAsync());

        Assert.Equal("fr", await LookupAsync());
        Assert.Equal(["en", "fr"], await ListAsync());
        var queries = _counter.Queries;
        Assert.Equal("fr", await LookupAsync());
        Assert.Equal(["en", "fr"], await ListAsync());
        Assert.Equal(queries, _counter.Queries); // both hits

        await using (var context = NewContext(cached: true))
        {
            Assert.Equal(1, await context.Customers.Where(x => x.Id == beaId).ExecuteUpdateAsync(s => s.SetProperty(x => x.Preferences.Language, "it")));
        }

        Assert.Equal("it", await LookupAsync());
        Assert.Equal(["en", "it"], await ListAsync());
    }

    public void Dispose()
    {
        database.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task SeedAsync()
    {
        await using var context = NewContext(cached: false);
        await context.Database.EnsureCreatedAsync();
        context.Customers.AddRange(
            new Customer
            {
                Name = "Ann",
                Address = new JsonAddress { City = "Zürich", Latitude = 47.376887m, VerifiedAt = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), Lines = [new() { Text = "Line 1" }, new() { Text = "Line 2" }] },
                Preferences = new Preferences { Language = "en", Newsletter = true, Discount = 0.1 + 0.2 },
                Nicknames = ["Bo", "Bobby"],
                Scores = [1, 2, 3],
            },
            new Customer { Name = "Bea", Preferences = new Preferences { Language = "fr" }, Scores = [] });
        await context.SaveChangesAsync();
    }

    private async Task<int> IdOfAsync(string name)
    {
        await using var context = NewContext(cached: false);
        return await context.Customers.Where(x => x.Name == name).Select(x => x.Id).SingleAsync();
    }

    /// <summary>Changes one customer through a tracked, cached context and saves.</summary>
    private async Task SaveAsync(string name, Action<Customer> change)
    {
        await using var context = NewContext(cached: true);
        change(await context.Customers.SingleAsync(x => x.Name == name));
        Assert.True(await context.SaveChangesAsync() > 0, "the change should be saved");
    }

    private JsonColumnsContext NewContext(bool cached)
        => new(database.CreateOptions<JsonColumnsContext>(b =>
        {
            if (cached)
            {
                b.UseRedisCacheAside(redis.Connection, o => o.KeyPrefix = _keyPrefix);
            }

            b.AddInterceptors(_counter);
        }));

    private async Task<T> ReadAsync<T>(bool cached, Func<JsonColumnsContext, Task<T>> query)
    {
        await using var context = NewContext(cached);
        return await query(context);
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);
}
