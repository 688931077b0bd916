using System.Globalization;
using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Values.Shapes;

/// <summary>
/// Invariant 1 for the shapes in which EF Core reads some columns of a row and skips others, recorded by a miss in
/// a context that already tracks some or all of the rows (EF Core then reads only their keys, and the recording
/// reader fills the other cells itself): TPH leaves, value converters (enum as text, DateTime as a long, bool as
/// 'Y'/'N', Guid as text, a strongly-typed id, text as bytes), complex types (required and optional), an owned type,
/// an owned JSON column, shadow properties, a split query's second command, and identity resolution without
/// tracking. Each query is read uncached, on the miss, on a hit in a fresh context and on a hit in a context that
/// tracks some rows; every read must describe the same values.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SkippedColumnShapeTests(RedisServerFixture redis, PostgresFixture postgres)
{
    public static TheoryData<string, string, string> Cases()
    {
        var cases = new TheoryData<string, string, string>();
        foreach (var provider in new[] { "sqlite", "postgresql" })
        {
            foreach (var query in new[] { "tph", "leaf", "split", "identity", "tpt", "tpc", "crates", "single", "reference", "pairs" })
            {
                foreach (var tracked in new[] { "none", "some", "all" })
                {
                    cases.Add(provider, query, tracked);
                }
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_hit_reads_each_shape_as_the_database_does_whatever_the_miss_tracked(string provider, string query, string tracked)
    {
        using ITestDatabase database = provider == "sqlite" ? new SqliteTestDatabase() : postgres.NewDatabase();
        await using (var context = new ShapeContext(database.CreateOptions<ShapeContext>()))
        {
            await context.Database.EnsureCreatedAsync();
            ShapeSeed.Seed(context, offsetZero: provider != "sqlite");
        }

        var prefix = redis.NewKeyPrefix();
        var counter = new DatabaseCommandCounter();
        ShapeContext Cached() => new(database.CreateOptions<ShapeContext>(b => b
            .UseRedisCacheAside(redis.Connection, o =>
            {
                o.KeyPrefix = prefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
                o.LocalCacheMaxBytes = 0; // each hit decodes what the miss recorded
            })
            .AddInterceptors(counter)));

        List<string> truth;
        await using (var context = new ShapeContext(database.CreateOptions<ShapeContext>()))
        {
            truth = await RunAsync(query, context, cacheable: false);
        }

        await using (var context = Cached())
        {
            await TrackAsync(context, tracked);
            int before = counter.Queries;
            Assert.Equal(truth, await RunAsync(query, context, cacheable: true)); // the miss
            Assert.Equal(query == "split" ? 2 : 1, counter.Queries - before);
        }

        await using (var context = Cached())
        {
            int before = counter.Queries;
            Assert.Equal(truth, await RunAsync(query, context, cacheable: true)); // a hit in a fresh context
            Assert.Equal(0, counter.Queries - before);
        }

        await using (var context = Cached())
        {
            await TrackAsync(context, "some");
            int before = counter.Queries;
            Assert.Equal(truth, await RunAsync(query, context, cacheable: true)); // a hit in a context that tracks some rows
            Assert.Equal(0, counter.Queries - before);
        }
    }

    /// <summary>Loads rows into the context's change tracker with queries the cache does not serve.</summary>
    private static async Task TrackAsync(ShapeContext context, string tracked)
    {
        if (tracked == "some")
        {
            await context.Gizmos.Where(g => g.Id % 2 == 0 || g.Id == 5).NotCacheable().LoadAsync();
            await context.Crates.Where(c => c.Id == 2).NotCacheable().LoadAsync();
            await context.Probes.Where(p => p.Id >= 3).NotCacheable().LoadAsync();
            await context.Beacons.Where(b => b.Id % 2 == 1).NotCacheable().LoadAsync();
        }
        else if (tracked == "all")
        {
            await context.Gizmos.NotCacheable().LoadAsync();
            await context.Crates.NotCacheable().LoadAsync();
            await context.Probes.NotCacheable().LoadAsync();
            await context.Beacons.NotCacheable().LoadAsync();
        }
    }

    private static async Task<List<string>> RunAsync(string query, ShapeContext context, bool cacheable)
    {
        IQueryable<T> Mark<T>(IQueryable<T> source) => cacheable ? source.Cacheable() : source;
        return query switch
        {
            "tph" => DescribeGizmos(context, await Mark(context.Gizmos.OrderBy(g => g.Id)).ToListAsync()),
            "leaf" => DescribeGizmos(context, [.. await Mark(context.Gizmos.OfType<GearGizmo>().OrderBy(g => g.Id)).ToListAsync()]),
            "split" => (await Mark(context.Crates.Include(c => c.Gizmos).AsSplitQuery().OrderBy(c => c.Id)).ToListAsync())
                .SelectMany(c => DescribeGizmos(context, [.. c.Gizmos.OrderBy(g => g.Id)]).Prepend(DescribeCrate(c)))
                .ToList(),
            "identity" => (await Mark(context.Gizmos.Include(g => g.Crate).AsNoTrackingWithIdentityResolution().OrderBy(g => g.Id)).ToListAsync())
                .SelectMany(g => DescribeGizmos(context, [g]).Append(DescribeCrate(g.Crate)))
                .ToList(),
            "single" => (await Mark(context.Crates.Include(c => c.Gizmos).AsSingleQuery().OrderBy(c => c.Id)).ToListAsync())
                .SelectMany(c => DescribeGizmos(context, [.. c.Gizmos.OrderBy(g => g.Id)]).Prepend(DescribeCrate(c)))
                .ToList(),
            "reference" => (await Mark(context.Gizmos.Include(g => g.Crate).OrderBy(g => g.Id)).ToListAsync())
                .SelectMany(g => DescribeGizmos(context, [g]).Append(DescribeCrate(g.Crate)))
                .ToList(),
            "pairs" => (await Mark(context.Crates.SelectMany(c => c.Gizmos, (c, g) => new { c, g }).OrderBy(p => p.g.Id)).ToListAsync())
                .SelectMany(p => DescribeGizmos(context, [p.g]).Append(DescribeCrate(p.c)))
                .ToList(),
            "crates" => [.. (await Mark(context.Crates.OrderBy(c => c.Id)).ToListAsync()).Select(DescribeCrate)],
            "tpt" => [.. (await Mark(context.Probes.OrderBy(p => p.Id)).ToListAsync()).Select(p => Join(p.GetType().Name, p.Id, p.Serial, p.Reading) + " / " + p switch
            {
                ThermoProbe thermo => Join(thermo.Celsius, thermo.Calibrated),
                PressureProbe pressure => Join(pressure.Bar, pressure.Unit, pressure.Interval),
                _ => "?",
            })],
            "tpc" => [.. (await Mark(context.Beacons.OrderBy(b => b.Id)).ToListAsync()).Select(b => Join(b.GetType().Name, b.Id, b.Lit, b.Since) + " / " + b switch
            {
                RadioBeacon radio => Join(radio.Megahertz, radio.Channel.Value),
                LightBeacon light => Join(light.Lumens, light.Pattern, light.Serviced),
                _ => "?",
            })],
            _ => throw new ArgumentOutOfRangeException(nameof(query)),
        };
    }

    private static string DescribeCrate(Crate crate) => Join(
        crate.Id, crate.Label, crate.Opened, crate.Kind,
        crate.Detail.Note, crate.Detail.At, crate.Detail.Amount, crate.Detail.Flag,
        string.Join(";", crate.Parts.Select(p => Join(p.Name, p.Mass, p.Serial))));

    private static List<string> DescribeGizmos(ShapeContext context, List<Gizmo> gizmos) => [.. gizmos.Select(g =>
    {
        var entry = context.Entry(g);
        bool tracked = entry.State != EntityState.Detached;
        string common = Join(
            g.GetType().Name, g.Id, g.CrateId, g.Status, g.Stamp, g.Ready, g.Ref, g.Code.Value, g.Secret,
            g.Size.Width, g.Size.Height,
            g.Label?.Text, g.Label?.Printed,
            g.Origin?.Country, g.Origin?.Since, g.Origin?.Shift,
            g.Spec?.Notes, g.Spec?.Made, g.Spec?.Ratio, g.Spec?.Grade,
            string.Join(";", g.Tags.Select(t => Join(t.Word, t.Added))),
            tracked ? entry.Property("Memo").CurrentValue : "(untracked)",
            tracked ? entry.Property("Weight").CurrentValue : "(untracked)");
        string leaf = g switch
        {
            BoltGizmo bolt => Join(bolt.Torque, bolt.Thread, bolt.Rated),
            GearGizmo gear => Join(gear.Teeth, gear.Color, gear.Pitch, gear.Cut),
            _ => "?",
        };
        return common + " / " + leaf;
    })];

    private static string Join(params object?[] values) => string.Join("|", values.Select(Show));

    private static string Show(object? value) => value switch
    {
        null => "NULL",
        DateTime dt => dt.ToString("O", CultureInfo.InvariantCulture) + " " + dt.Kind,
        DateTimeOffset dto => dto.ToString("O", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
