namespace EfRedisCache.IntegrationTests.ReadPath.Fuzz;

/// <summary>
/// Random rows for the fuzz, from pools of values that .NET and the databases compare differently: decimals of one
/// value and several scales, both zeros, NaN and infinities, names that differ in case or Unicode normalization only,
/// an undefined enum value. PostgreSQL takes neither NUL in text nor an offset other than zero in <c>timestamptz</c>.
/// </summary>
internal static class FuzzData
{
    public static readonly string[] Names = ["apple", "Apple", "APPLE", "äpple", "a\u0308pple", "", " pad ", "Zoë", "Zoe\u0308", "o'hara", "50%_off", "漢字", "🙂 smile", "line\nbreak"];

    public static readonly string?[] Codes = [null, "ab", "AB", "Ab", "x", "", "ß", "SS"];

    public static readonly decimal[] Prices = [0m, 0.0m, 1m, 1.0m, 1.00m, 49.99m, 49.990m, -0.01m, 123456.789m, 0.10m, 1e-10m];

    public static readonly double[] Ratios = [0.0, -0.0, 0.1, 1e300, -2.5, double.NaN, double.PositiveInfinity, double.Epsilon];

    public static readonly float[] Scores = [0f, -0f, 1.5f, float.MaxValue, 3.14159f, -1e-30f];

    public static readonly char[] Letters = ['a', 'A', 'é', '\'', 'z', '0'];

    public static readonly FuzzKind[] Kinds = [FuzzKind.Plain, FuzzKind.Fancy, FuzzKind.Rare, FuzzKind.Negative, (FuzzKind)5];

    public static readonly string[] NoteTexts = ["ok", "OK", "note with a, comma", "", "ünïcode", "%"];

    public static void Seed(FuzzContext context, Random random, bool postgres)
    {
        var owners = Enumerable.Range(1, 6)
            .Select(id => new FuzzOwner { Id = id, Name = Pick(random, Names), Region = Pick(random, [null, "north", "North", "süd"]) })
            .ToList();
        context.Owners.AddRange(owners);
        var noteId = 1;
        for (var id = 1; id <= 60; id++)
        {
            var item = new FuzzItem
            {
                Id = id,
                OwnerId = random.Next(5) == 0 ? null : Pick(random, owners).Id,
                Name = Pick(random, Names),
                Code = Pick(random, Codes),
                Letter = Pick(random, Letters),
                Qty = random.Next(-5, 50),
                Big = Pick<long?>(random, [null, 0, 1, -1, long.MaxValue, long.MinValue, 1L << 53, (1L << 53) + 1]),
                Small = (short)random.Next(short.MinValue, short.MaxValue + 1),
                Price = Pick(random, Prices),
                Discount = random.Next(3) == 0 ? null : Pick(random, Prices),
                Ratio = random.Next(4) == 0 ? null : Storable(Pick(random, Ratios), postgres),
                Score = Pick(random, Scores),
                At = new DateTime(2000, 1, 1).AddTicks((long)(random.NextDouble() * TimeSpan.TicksPerDay * 365 * 30)),
                When = random.Next(3) == 0 ? null : new DateTimeOffset(
                    new DateTime(2010, 1, 1).AddTicks((long)(random.NextDouble() * TimeSpan.TicksPerDay * 365 * 20)),
                    postgres ? TimeSpan.Zero : TimeSpan.FromMinutes(Pick(random, [0, 60, -330, 840]))),
                Day = DateOnly.FromDayNumber(random.Next(DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber)),
                Time = new TimeOnly(random.NextInt64(TimeOnly.MaxValue.Ticks / 10) * 10),
                Span = TimeSpan.FromTicks(random.NextInt64(-TimeSpan.TicksPerDay * 400, TimeSpan.TicksPerDay * 400) / 10 * 10),
                Flag = Pick<bool?>(random, [null, true, false]),
                Kind = Pick(random, Kinds),
                Status = Pick(random, [FuzzStatus.Draft, FuzzStatus.Active, FuzzStatus.Retired]),
                Key = new Guid([.. Enumerable.Range(0, 16).Select(_ => (byte)random.Next(256))]),
                Blob = random.Next(3) switch { 0 => null, 1 => [], _ => [.. Enumerable.Range(0, random.Next(1, 6)).Select(_ => (byte)random.Next(256))] },
            };
            for (var n = random.Next(4); n > 0; n--)
            {
                item.Notes.Add(new FuzzNote { Id = noteId++, Text = Pick(random, NoteTexts), Weight = random.Next(3) == 0 ? null : Storable(Pick(random, Ratios), postgres) });
            }

            context.Items.Add(item);
        }

        context.SaveChanges();
    }

    /// <summary>SQLite refuses to store NaN.</summary>
    private static double? Storable(double value, bool postgres) => double.IsNaN(value) && !postgres ? null : value;

    public static T Pick<T>(Random random, IReadOnlyList<T> values) => values[random.Next(values.Count)];
}
