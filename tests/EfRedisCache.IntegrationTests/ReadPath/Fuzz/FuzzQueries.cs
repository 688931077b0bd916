using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

// ToUpper/ToLower/Contains without a culture or comparison are what EF Core translates to SQL.
#pragma warning disable CA1304, CA1311, CA1862

namespace EfRedisCache.IntegrationTests.ReadPath.Fuzz;

/// <summary>
/// Generates random LINQ queries over <see cref="FuzzItem"/>: a WHERE of mixed operators over nullable and unusual
/// values (combined with and, or, not), an order with a tie-breaker, Skip/Take, and one of several result shapes —
/// entities (tracking or not, Include, single or split), projections to anonymous types, Distinct, GroupBy with
/// aggregates, scalars. Values come from <see cref="FuzzData"/>'s pools, so they meet the rows' edge cases.
/// </summary>
internal static class FuzzQueries
{
    public static FuzzQuery Next(Random random, bool postgres)
    {
        var (whereText, where) = Where(random, postgres);
        var (orderText, order) = Order(random);
        int? skip = random.Next(3) == 0 ? random.Next(0, 20) : null;
        int? take = random.Next(3) == 0 ? random.Next(0, 15) : null;
        var shape = random.Next(10);
        var tracking = random.Next(2) == 0;
        var split = random.Next(2) == 0;
        var scalar = random.Next(5);
        var description = $"where {whereText} | order {orderText} | skip {skip} take {take} | shape {shape} tracking {tracking} split {split} scalar {scalar}";

        IQueryable<FuzzItem> Rows(FuzzContext context)
        {
            var rows = (tracking ? context.Items : context.Items.AsNoTracking()).Where(where);
            rows = order(rows);
            if (skip is { } s)
            {
                rows = rows.Skip(s);
            }

            return take is { } t ? rows.Take(t) : rows;
        }

        return new FuzzQuery(description, async (context, cached, stopAfter) =>
        {
            IQueryable<T> Mark<T>(IQueryable<T> query) => cached ? query.Cacheable() : query;
            var rows = Rows(context);
            switch (shape)
            {
                case 0:
                    return await List(Mark(rows), stopAfter);
                case 1:
                    return await List(Mark(rows.Include(i => i.Owner)), stopAfter);
                case 2:
                    var withNotes = rows.Include(i => i.Notes);
                    return await List(Mark(split ? withNotes.AsSplitQuery() : withNotes.AsSingleQuery()), stopAfter);
                case 3:
                    return await List(Mark(rows.Select(i => new
                    {
                        i.Id, i.Name, i.Code, i.Letter, i.Qty, i.Big, i.Small, i.Price, i.Discount, i.Ratio, i.Score, i.At, i.When,
                        i.Day, i.Time, i.Span, i.Flag, i.Kind, i.Status, i.Key, i.Blob, OwnerName = i.Owner == null ? null : i.Owner.Name,
                    })), stopAfter);
                case 4:
                    return await List(Mark(rows.Select(i => new
                    {
                        i.Id,
                        Upper = i.Name.ToUpper(),
                        Lower = i.Name.ToLower(),
                        i.Name.Length,
                        Trimmed = i.Name.Trim(),
                        Replaced = i.Name.Replace("a", "A"),
                        CodeOrDash = i.Code ?? "-",
                        Half = i.Qty / 2.0,
                        Modulo = i.Qty % 7,
                        BigOrZero = i.Big ?? 0,
                        NoteCount = i.Notes.Count(),
                        HeaviestNote = i.Notes.Max(n => n.Weight),
                        i.At.Year,
                        AsLong = (long)i.Qty,
                        AsDouble = (double)i.Qty,
                        KindNumber = (int)i.Kind,
                        IsFlagged = i.Flag == true,
                    })), stopAfter);
                case 5:
                    return await Mark(rows.Select(i => new { i.Kind, i.Flag, i.Status }).Distinct().OrderBy(x => x.Kind).ThenBy(x => x.Flag).ThenBy(x => x.Status)).ToListAsync();
                case 6:
                    return await Mark(context.Items.Where(where).GroupBy(i => i.Kind).Select(g => new
                    {
                        g.Key,
                        Count = g.Count(),
                        SumQty = g.Sum(x => x.Qty),
                        MaxQty = g.Max(x => x.Qty),
                        MaxPrice = g.Max(x => x.Price),
                        MinAt = g.Min(x => x.At),
                        AverageScore = g.Average(x => x.Score),
                    }).OrderBy(x => x.Key)).ToListAsync();
                case 7:
                    return await Mark(context.Items.Where(where).GroupBy(i => i.Owner!.Name).Select(g => new { g.Key, Count = g.LongCount(), Big = g.Max(x => x.Big) }).OrderBy(x => x.Key)).ToListAsync();
                case 8:
                    return scalar switch
                    {
                        0 => await Mark(rows).CountAsync(),
                        1 => await Mark(rows).AnyAsync(),
                        2 => await Mark(context.Items.Where(where).Select(i => i.Price)).MaxAsync(),
                        3 => await Mark(rows).FirstOrDefaultAsync(),
                        _ => await Mark(context.Items.Where(where)).SumAsync(i => i.Qty),
                    };
                default:
                    return await List(Mark(rows.Select(i => i.Price)), stopAfter);
            }
        });
    }

    /// <summary>
    /// The rows, or only the first <paramref name="stopAfter"/> of them, read as a stream and left: the cache then
    /// reads the rest itself with the getters EF Core used, and <c>GetValue</c> for a column EF Core never read a value of.
    /// </summary>
    private static async Task<List<T>> List<T>(IQueryable<T> query, int? stopAfter)
    {
        var rows = new List<T>();
        await foreach (var row in query.AsAsyncEnumerable())
        {
            rows.Add(row);
            if (rows.Count == stopAfter)
            {
                break;
            }
        }

        return rows;
    }

    /// <summary>A random first key, ascending or not, and the key last: rows in one order on every run.</summary>
    private static (string, Func<IQueryable<FuzzItem>, IQueryable<FuzzItem>>) Order(Random random)
    {
        var descending = random.Next(2) == 0;
        var key = random.Next(10);
        IOrderedQueryable<FuzzItem> By<TKey>(IQueryable<FuzzItem> rows, Expression<Func<FuzzItem, TKey>> selector)
            => descending ? rows.OrderByDescending(selector) : rows.OrderBy(selector);
        return ($"{key} desc {descending}", rows => (key switch
        {
            0 => By(rows, i => i.Name),
            1 => By(rows, i => i.Qty),
            2 => By(rows, i => i.Price),
            3 => By(rows, i => i.Ratio),
            4 => By(rows, i => i.At),
            5 => By(rows, i => i.Code),
            6 => By(rows, i => i.Score),
            7 => By(rows, i => i.Day),
            8 => By(rows, i => i.Owner!.Name),
            _ => By(rows, i => i.Kind),
        }).ThenBy(i => i.Id));
    }

    private static (string, Expression<Func<FuzzItem, bool>>) Where(Random random, bool postgres)
    {
        var (text, predicate) = Predicate(random, postgres);
        for (var more = random.Next(3); more > 0; more--)
        {
            var (nextText, next) = Predicate(random, postgres);
            switch (random.Next(3))
            {
                case 0:
                    (text, predicate) = ($"({text} && {nextText})", ParameterRebinder.And(predicate, next));
                    break;
                case 1:
                    (text, predicate) = ($"({text} || {nextText})", ParameterRebinder.Or(predicate, next));
                    break;
                default:
                    (text, predicate) = ($"({text} && !{nextText})", ParameterRebinder.And(predicate, ParameterRebinder.Not(next)));
                    break;
            }
        }

        return (text, predicate);
    }

    private static (string, Expression<Func<FuzzItem, bool>>) Predicate(Random random, bool postgres)
    {
        var op = random.Next(6);
        switch (random.Next(24))
        {
            case 0:
                var qty = random.Next(-5, 50);
                return ($"Qty op{op} {qty}", Compare(op, i => i.Qty, qty));
            case 1:
                long? big = FuzzData.Pick<long?>(random, [null, 0, 1, long.MaxValue, 1L << 53]);
                return ($"Big == {big}", i => i.Big == big);
            case 2:
                var price = FuzzData.Pick(random, FuzzData.Prices);
                return ($"Price op{op} {price}", Compare(op, i => i.Price, price));
            case 3:
                decimal? discount = random.Next(3) == 0 ? null : FuzzData.Pick(random, FuzzData.Prices);
                return ($"Discount == {discount}", i => i.Discount == discount);
            case 4:
                double? ratio = random.Next(4) == 0 ? null : FuzzData.Pick(random, FuzzData.Ratios);
                return ($"Ratio op{op % 3} {ratio}", (op % 3) switch
                {
                    0 => i => i.Ratio == ratio,
                    1 => i => i.Ratio < ratio,
                    _ => i => i.Ratio != ratio,
                });
            case 5:
                var score = FuzzData.Pick(random, FuzzData.Scores);
                return ($"Score op{op} {score}", Compare(op, i => i.Score, score));
            case 6:
                var name = FuzzData.Pick(random, FuzzData.Names);
                return ($"Name == {name}", i => i.Name == name);
            case 7:
                var part = FuzzData.Pick(random, ["a", "A", "pp", "%", "_", "ë", "", "'"]);
                return ($"Name string op{op % 4} {part}", (op % 4) switch
                {
                    0 => i => i.Name.Contains(part),
                    1 => i => i.Name.StartsWith(part),
                    2 => i => i.Name.EndsWith(part),
                    _ => i => i.Name.ToUpper().Contains(part.ToUpper()),
                });
            case 8:
                var length = random.Next(0, 8);
                return ($"Name.Length op{op} {length}", Compare(op, i => i.Name.Length, length));
            case 9:
                var code = FuzzData.Pick(random, FuzzData.Codes);
                return ($"Code op{op % 2} {code}", op % 2 == 0 ? i => i.Code == code : i => i.Code != code);
            case 10:
                var at = new DateTime(2000, 1, 1).AddTicks((long)(random.NextDouble() * TimeSpan.TicksPerDay * 365 * 30));
                at = postgres ? at : DateTime.SpecifyKind(at, FuzzData.Pick(random, [DateTimeKind.Unspecified, DateTimeKind.Utc, DateTimeKind.Local]));
                return ($"At op{op} {at:O} {at.Kind}", Compare(op, i => i.At, at));
            case 11:
                var day = DateOnly.FromDayNumber(random.Next(DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber));
                return ($"Day op{op} {day}", Compare(op, i => i.Day, day));
            case 12:
                bool? flag = FuzzData.Pick<bool?>(random, [null, true, false]);
                return ($"Flag op{op % 2} {flag}", op % 2 == 0 ? i => i.Flag == flag : i => i.Flag != flag);
            case 13:
                var kind = FuzzData.Pick(random, FuzzData.Kinds);
                return ($"Kind op{op % 3} {kind}", (op % 3) switch
                {
                    0 => i => i.Kind == kind,
                    1 => i => (int)i.Kind > (int)kind,
                    _ => i => i.Kind != kind,
                });
            case 14:
                var status = FuzzData.Pick(random, [FuzzStatus.Draft, FuzzStatus.Active, FuzzStatus.Retired]);
                return ($"Status == {status}", i => i.Status == status);
            case 15:
                var ids = Enumerable.Range(0, random.Next(0, 6)).Select(_ => random.Next(-1, 62)).ToList();
                return ($"ids [{string.Join(",", ids)}].Contains(Id)", i => ids.Contains(i.Id));
            case 16:
                var owners = Enumerable.Range(0, random.Next(0, 4)).Select(_ => random.Next(3) == 0 ? (int?)null : random.Next(0, 7)).ToArray();
                return ($"owners [{string.Join(",", owners)}].Contains(OwnerId)", i => owners.Contains(i.OwnerId));
            case 17:
                var names = Enumerable.Range(0, random.Next(0, 4)).Select(_ => FuzzData.Pick(random, FuzzData.Names)).ToList();
                return ($"names [{string.Join(",", names)}].Contains(Name)", i => names.Contains(i.Name));
            case 18:
                var region = FuzzData.Pick(random, [null, "north", "North", "süd"]);
                return ($"Owner.Region == {region}", i => i.Owner!.Region == region);
            case 19:
                var text = FuzzData.Pick(random, FuzzData.NoteTexts);
                var count = random.Next(0, 3);
                return ($"Notes op{op % 2} {text} {count}", op % 2 == 0 ? i => i.Notes.Any(n => n.Text == text) : i => i.Notes.Count() > count);
            case 20:
                var letter = FuzzData.Pick(random, FuzzData.Letters);
                return ($"Letter == {letter}", i => i.Letter == letter);
            case 21:
                byte[]? blob = random.Next(2) == 0 ? null : [];
                return ($"Blob == {(blob is null ? "null" : "[]")}", i => i.Blob == blob);
            case 22:
                var time = new TimeOnly(random.NextInt64(TimeOnly.MaxValue.Ticks / 10) * 10);
                return ($"Time op{op} {time:O}", Compare(op, i => i.Time, time));
            default:
                var small = (short)random.Next(short.MinValue, short.MaxValue + 1);
                return ($"Small op{op} {small}", Compare(op, i => i.Small, small));
        }
    }

    private static Expression<Func<FuzzItem, bool>> Compare<T>(int op, Expression<Func<FuzzItem, T>> column, T value)
    {
        // A closure, as an application writes it: EF Core makes the value a parameter.
        var holder = new Holder<T>(value);
        Expression right = Expression.Field(Expression.Constant(holder), nameof(Holder<T>.Value));
        Expression left = column.Body;
        Expression body = op switch
        {
            0 => Expression.Equal(left, right),
            1 => Expression.NotEqual(left, right),
            2 => Expression.LessThan(left, right),
            3 => Expression.LessThanOrEqual(left, right),
            4 => Expression.GreaterThan(left, right),
            _ => Expression.GreaterThanOrEqual(left, right),
        };
        return Expression.Lambda<Func<FuzzItem, bool>>(body, column.Parameters);
    }
}
