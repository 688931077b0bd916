using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Ef10Mappings;

/// <summary>
/// The cached queries over <see cref="AtelierContext"/>, each rendered as text so any difference shows, and the writes
/// (SaveChanges, <c>ExecuteUpdate</c> and <c>ExecuteDelete</c>) whose effect the next read must see.
/// </summary>
internal static class Ef10MappingCases
{
    public static readonly Dictionary<string, Func<AtelierContext, Task<string>>> Queries = new()
    {
        ["studios, tracking"] = async c => Lines(await c.Studios.OrderBy(s => s.Id).Cacheable().ToListAsync()),
        ["studios, no tracking"] = async c => Lines(await c.Studios.AsNoTracking().OrderBy(s => s.Id).Cacheable().ToListAsync()),
        ["studio 1 by key"] = async c => Json(await c.Studios.Cacheable().SingleOrDefaultAsync(s => s.Id == 1)),
        ["studio 2 by key, no tracking"] = async c => Json(await c.Studios.AsNoTracking().Cacheable().FirstOrDefaultAsync(s => s.Id == 2)),
        ["contact as text"] = async c => Lines(await c.Studios.OrderBy(s => s.Id).Select(s => s.Contact == null ? "none" : s.Contact.Phone.Number + "/" + s.Contact.Email).Cacheable().ToListAsync()),
        ["contacts"] = async c => Lines(await c.Studios.OrderBy(s => s.Id).Select(s => s.Contact).Cacheable().ToListAsync()),
        ["contact of studio 1"] = async c => Json(await c.Studios.Where(s => s.Id == 1).Select(s => s.Contact).Cacheable().FirstOrDefaultAsync()),
        ["points"] = async c => Lines(await c.Studios.OrderBy(s => s.Id).Select(s => new { s.Location, s.Pin }).Cacheable().ToListAsync()),
        ["studios pinned right"] = async c => Lines(await c.Studios.Where(s => s.Pin != null && s.Pin.Value.X > 0.2).Select(s => s.Id).Cacheable().ToListAsync()),
        ["settings values"] = async c => Lines(await c.Studios.OrderBy(s => s.Id).Select(s => new { s.Settings.Budget, s.Settings.Renewed, s.Settings.Key, s.Settings.Mood, s.Settings.Day, s.Settings.Span }).Cacheable().ToListAsync()),
        ["theme and level"] = async c => Lines(await c.Studios.OrderBy(s => s.Id).Select(s => s.Settings.Theme + s.Settings.Level).Cacheable().ToListAsync()),
        ["settings"] = async c => Lines(await c.Studios.OrderBy(s => s.Id).Select(s => s.Settings).Cacheable().ToListAsync()),
        ["award counts"] = async c => Lines(await c.Studios.OrderBy(s => s.Id).Select(s => s.Awards.Count).Cacheable().ToListAsync()),
        ["studios with a recent award"] = async c => Lines(await c.Studios.Where(s => s.Awards.Any(a => a.Year > 2000)).Select(s => s.Id).Cacheable().ToListAsync()),
        ["awards"] = async c => Lines(await c.Studios.OrderBy(s => s.Id).Select(s => s.Awards).Cacheable().ToListAsync()),
        ["works, split query"] = async c => Lines((await c.Studios.Include(s => s.Works.OrderBy(w => w.Id)).AsSplitQuery().OrderBy(s => s.Id).Cacheable().ToListAsync()).Select(Works)),
        ["works of studio 1, split query"] = async c => Lines<string>((await c.Studios.Include(s => s.Works.OrderBy(w => w.Id)).AsSplitQuery().Cacheable().SingleOrDefaultAsync(s => s.Id == 1)) is { } s ? [Works(s)] : []),
        ["works, single query"] = async c => Lines((await c.Studios.AsNoTracking().Include(s => s.Works.OrderBy(w => w.Id)).OrderBy(s => s.Id).Cacheable().ToListAsync()).Select(Works)),
        ["work 2 by an inlined list"] = async c => Json(await c.Works.Where(w => new[] { 2 }.Contains(w.Id)).Select(w => w.Title).Cacheable().FirstOrDefaultAsync()),
        ["members"] = async c => Lines(await c.Members.OrderBy(m => m.Id).Cacheable().ToListAsync()),
        ["member 1 by key"] = async c => Json(await c.Members.AsNoTracking().Cacheable().SingleOrDefaultAsync(m => m.Id == 1)),
        ["member cities"] = async c => Lines(await c.Members.OrderBy(m => m.Id).Select(m => m.City).Cacheable().ToListAsync()),
        ["name of member 1"] = async c => Json(await c.Members.Where(m => m.Id == 1).Select(m => m.Name).Cacheable().FirstOrDefaultAsync()),
        ["city of member 1"] = async c => Json(await c.Members.Where(m => m.Id == 1).Select(m => m.City).Cacheable().FirstOrDefaultAsync()),
        ["tickets with bodies"] = async c => Lines((await c.Tickets.Include(t => t.Body).OrderBy(t => t.Id).Cacheable().ToListAsync()).Select(t => t.Subject + ":" + t.Body.Text)),
        ["ticket 1 by key"] = async c => Json((await c.Tickets.AsNoTracking().Cacheable().SingleAsync(t => t.Id == 1)).Subject),
        ["ticket bodies"] = async c => Lines(await c.TicketBodies.OrderBy(b => b.Id).Select(b => b.Text).Cacheable().ToListAsync()),
        ["ticket body 1 by key"] = async c => Json((await c.TicketBodies.AsNoTracking().Cacheable().SingleAsync(b => b.Id == 1)).Text),
        ["shapes"] = async c => Lines(await c.Shapes.OrderBy(s => s.Id).Cacheable().ToListAsync()),
        ["circles"] = async c => Lines(await c.Circles.AsNoTracking().OrderBy(s => s.Id).Cacheable().ToListAsync()),
        ["first circle's key"] = async c => Json(await c.Circles.AsNoTracking().OrderBy(s => s.Id).Select(s => s.Id).Cacheable().FirstOrDefaultAsync()),
        ["circle 1 by key"] = async c => Json((await c.Circles.AsNoTracking().Cacheable().FirstOrDefaultAsync(s => s.Id == 1))?.Radius),
    };

    public static readonly Dictionary<string, Func<AtelierContext, Task<int>>> Writes = new()
    {
        ["save a split-off column"] = c => SaveAsync(c, c.Members, 1, m => m.City = "Lyon"),
        ["save a main-table column of a split entity"] = c => SaveAsync(c, c.Members, 1, m => m.Name = "Renamed"),
        ["add a split entity"] = async c =>
        {
            c.Members.Add(new Member { Id = 3, Name = "Cid", City = "Rome" });
            return await c.SaveChangesAsync();
        },
        ["delete a split entity"] = async c =>
        {
            c.Members.Remove(await c.Members.SingleAsync(m => m.Id == 1));
            return await c.SaveChangesAsync();
        },
        ["save a nested complex column"] = c => SaveAsync(c, c.Studios, 1, s => s.Contact!.Phone.Number = "999"),
        ["save an optional complex type as null"] = c => SaveAsync(c, c.Studios, 1, s => s.Contact = null),
        ["save an optional complex type from null"] = c => SaveAsync(c, c.Studios, 2, s => s.Contact = new StudioContact { Email = "new@x", Phone = new StudioPhone { Number = "1" } }),
        ["save an optional struct as null"] = c => SaveAsync(c, c.Studios, 1, s => s.Pin = null),
        ["save a struct"] = c => SaveAsync(c, c.Studios, 1, s => s.Location = new GridPoint(7, 7)),
        ["save a JSON value"] = c => SaveAsync(c, c.Studios, 1, s => s.Settings.Budget = 99m),
        ["save a JSON string"] = c => SaveAsync(c, c.Studios, 1, s => s.Settings.Theme = "light"),
        ["add to a collection inside a JSON document"] = c => SaveAsync(c, c.Studios, 1, s => s.Settings.Pinned.Add(new Award { Title = "P", Year = 2040 })),
        ["add to a complex collection"] = c => SaveAsync(c, c.Studios, 1, s => s.Awards.Add(new Award { Title = "New", Year = 2030 })),
        ["change an element of a complex collection"] = c => SaveAsync(c, c.Studios, 2, s => s.Awards[0].Year = 2031),
        ["ExecuteUpdate of a nested complex column"] = c => c.Studios.Where(s => s.Id == 1).ExecuteUpdateAsync(s => s.SetProperty(x => x.Contact!.Phone.Number, "777")),
        ["ExecuteUpdate of a whole complex type"] = c => c.Studios.Where(s => s.Id == 1).ExecuteUpdateAsync(s => s.SetProperty(x => x.Contact, new StudioContact { Email = "w@x", Phone = new StudioPhone { Number = "5", Extension = 9 } })),
        ["ExecuteUpdate of an optional complex type to null"] = c => c.Studios.Where(s => s.Id == 1).ExecuteUpdateAsync(s => s.SetProperty(x => x.Contact, (StudioContact?)null)),
        ["ExecuteUpdate of a converted complex column"] = c => c.Studios.Where(s => s.Contact != null).ExecuteUpdateAsync(s => s.SetProperty(x => x.Contact!.Preferred, Mood.Calm)),
        ["ExecuteUpdate of a struct"] = c => c.Studios.Where(s => s.Id == 1).ExecuteUpdateAsync(s => s.SetProperty(x => x.Location, new GridPoint(8, 8))),
        ["ExecuteUpdate of a struct from another column"] = c => c.Studios.ExecuteUpdateAsync(s => s.SetProperty(x => x.Pin, x => x.Location)),
        ["ExecuteUpdate of a JSON property"] = c => c.Studios.Where(s => s.Id == 1).ExecuteUpdateAsync(s => s.SetProperty(x => x.Settings.Theme, "blue")),
        ["ExecuteUpdate of a JSON property from itself"] = c => c.Studios.ExecuteUpdateAsync(s => s.SetProperty(x => x.Settings.Budget, x => x.Settings.Budget + 1)),
        ["ExecuteUpdate of a whole JSON document"] = c => c.Studios.Where(s => s.Id == 1).ExecuteUpdateAsync(s => s.SetProperty(x => x.Settings, new StudioSettings { Theme = "t", Level = 42 })),
        ["ExecuteUpdate of a whole complex collection"] = c => c.Studios.Where(s => s.Id == 1).ExecuteUpdateAsync(s => s.SetProperty(x => x.Awards, new List<Award> { new() { Title = "Z", Year = 1999 } })),
        ["ExecuteUpdate with a statement lambda"] = c =>
        {
            var rename = true;
            return c.Studios.Where(s => s.Id == 1).ExecuteUpdateAsync(s =>
            {
                s.SetProperty(x => x.Settings.Level, 5);
                if (rename)
                {
                    s.SetProperty(x => x.Name, "Lambda");
                }
            });
        },
        ["synchronous ExecuteUpdate with a statement lambda"] = c => Task.FromResult(c.Studios.Where(s => s.Id == 2).ExecuteUpdate(s => { s.SetProperty(x => x.Name, "Sync"); })),
        ["ExecuteDelete of a studio the database cascades"] = c => c.Studios.Where(s => s.Id == 1).ExecuteDeleteAsync(),
        ["add a work only"] = async c =>
        {
            c.Works.Add(new Work { Id = 10, StudioId = 1, Title = "W10", Year = 2025 });
            return await c.SaveChangesAsync();
        },
        ["ExecuteUpdate of a work only"] = c => c.Works.Where(w => w.Id == 1).ExecuteUpdateAsync(s => s.SetProperty(x => x.Title, "Retitled")),
        ["save the dependent of a table split"] = c => SaveAsync(c, c.TicketBodies, 1, b => b.Text = "Edited"),
        ["ExecuteUpdate of the dependent of a table split"] = c => c.TicketBodies.Where(b => b.Id == 1).ExecuteUpdateAsync(s => s.SetProperty(x => x.Text, "Bulk")),
        ["add a TPC leaf"] = async c =>
        {
            // SQLite: keys given; PostgreSQL: the shared sequence gives one (a key left 0 is generated).
            c.Circles.Add(new Circle { Id = c.Database.IsNpgsql() ? 0 : 9, Name = "c-new", Radius = 9 });
            return await c.SaveChangesAsync();
        },
        ["ExecuteUpdate of a TPC leaf"] = c => c.Circles.ExecuteUpdateAsync(s => s.SetProperty(x => x.Radius, x => x.Radius + 1)),
        ["save a TPC leaf"] = async c =>
        {
            (await c.Circles.OrderBy(x => x.Id).FirstAsync()).Radius = 100;
            return await c.SaveChangesAsync();
        },
        ["delete a TPC leaf"] = async c =>
        {
            c.Circles.Remove(await c.Circles.OrderBy(x => x.Id).FirstAsync());
            return await c.SaveChangesAsync();
        },
    };

    public static TheoryData<string> WriteNames => [.. Writes.Keys];

    public static async Task SeedAsync(AtelierContext context)
    {
        await context.Database.EnsureCreatedAsync();
        context.Studios.AddRange(
            new Studio
            {
                Id = 1,
                Name = "Alpha",
                Location = new GridPoint(1.5, -2.25),
                Pin = new GridPoint(0.1 + 0.2, 3),
                Contact = new StudioContact { Email = "a@x", Preferred = Mood.Loud, Since = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc), Phone = new StudioPhone { Number = "123", Extension = 4 } },
                Settings = new StudioSettings
                {
                    Theme = "dark",
                    Level = 3,
                    Budget = 12.3400m,
                    Renewed = new DateTimeOffset(2021, 2, 3, 4, 5, 6, TimeSpan.FromHours(5.5)),
                    Key = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
                    Mood = Mood.Busy,
                    Day = new DateOnly(2022, 3, 4),
                    Span = TimeSpan.FromMinutes(90.5),
                    Blob = [1, 2, 255],
                    Pinned = [new Award { Title = "Pin", Year = 2001 }],
                },
                Awards = [new Award { Title = "Gold", Year = 1990 }, new Award { Title = "Silver", Year = 2005 }],
            },
            new Studio { Id = 2, Name = "Beta", Settings = new StudioSettings { Theme = "x" }, Awards = [new Award { Title = "Bronze", Year = 1980 }] });
        context.Members.AddRange(new Member { Id = 1, Name = "Ann", City = "Paris", Bio = "b1" }, new Member { Id = 2, Name = "Bob", City = "Oslo", Bio = "b2" });
        context.Works.AddRange(
            new Work { Id = 1, StudioId = 1, Title = "W1", Year = 2000 },
            new Work { Id = 2, StudioId = 1, Title = "W2", Year = 2001 },
            new Work { Id = 3, StudioId = 2, Title = "W3", Year = 2002 });
        context.Tickets.AddRange(
            new Ticket { Id = 1, Subject = "S1", Body = new TicketBody { Text = "T1" } },
            new Ticket { Id = 2, Subject = "S2", Body = new TicketBody { Text = "T2" } });
        var generated = context.Database.IsNpgsql();
        context.Shapes.AddRange(
            new Circle { Id = generated ? 0 : 1, Name = "c1", Radius = 1 },
            new Square { Id = generated ? 0 : 2, Name = "s1", Side = 2 },
            new Circle { Id = generated ? 0 : 3, Name = "c2", Radius = 3 });
        await context.SaveChangesAsync();
    }

    /// <summary>Loads every row of the model into <paramref name="context"/>, past the cache, so a later miss reads only keys of the rows it tracks.</summary>
    public static async Task TrackEverythingAsync(AtelierContext context)
    {
        await context.Studios.Include(s => s.Works).NotCacheable().ToListAsync();
        await context.Members.NotCacheable().ToListAsync();
        await context.Tickets.Include(t => t.Body).NotCacheable().ToListAsync();
        await context.Shapes.NotCacheable().ToListAsync();
    }

    /// <summary>Changes one tracked entity and saves it.</summary>
    private static async Task<int> SaveAsync<T>(AtelierContext context, DbSet<T> set, int id, Action<T> change)
        where T : class
    {
        change(await set.SingleAsync(e => EF.Property<int>(e, "Id") == id));
        return await context.SaveChangesAsync();
    }

    private static string Works(Studio studio) => studio.Name + ":" + string.Join(",", studio.Works.Select(w => w.Title));

    private static string Json(object? value) => JsonSerializer.Serialize(value);

    private static string Lines<T>(IEnumerable<T> values) => string.Join("\n", values.Select(v => JsonSerializer.Serialize((object?)v)));
}
