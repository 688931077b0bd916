using EfRedisCache.Storage;

namespace EfRedisCache.Tests.Storage;

/// <summary>Results shared by the storage tests.</summary>
internal static class StorageTestData
{
    public static CachedResult Products(int rowCount)
    {
        CachedColumn[] columns =
        [
            new("Id", "INTEGER", typeof(int)),
            new("Name", "TEXT", typeof(string)),
            new("Price", "TEXT", typeof(decimal)),
            new("CreatedAt", "TEXT", typeof(DateTime)),
            new("ExternalId", "TEXT", typeof(Guid)),
            new("Discontinued", "INTEGER", typeof(bool)),
        ];
        var rows = new List<object?[]>();
        for (int i = 0; i < rowCount; i++)
        {
            rows.Add(
            [
                i + 1,
                $"Product {i + 1}",
                19.99m + i,
                new DateTime(2024, 1, 1, 8, 30, 0, DateTimeKind.Utc).AddDays(i),
                new Guid(i + 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11),
                i % 3 == 0 ? null : i % 2 == 0,
            ]);
        }

        return new CachedResult([new CachedResultSet(columns, rows)], -1);
    }

    public static byte[] Serialize(CachedResult result, int maxBytes = 1 << 20)
    {
        if (!CachedResultSerializer.TrySerialize(result, maxBytes, out byte[]? payload, out string? reason))
        {
            throw new InvalidOperationException(reason);
        }

        return payload;
    }

    public static void AssertEqual(CachedResult expected, CachedResult actual)
    {
        Xunit.Assert.Equal(expected.RecordsAffected, actual.RecordsAffected);
        Xunit.Assert.Equal(expected.ResultSets.Count, actual.ResultSets.Count);
        for (int s = 0; s < expected.ResultSets.Count; s++)
        {
            CachedResultSet e = expected.ResultSets[s];
            CachedResultSet a = actual.ResultSets[s];
            Xunit.Assert.Equal(e.Columns, a.Columns);
            Xunit.Assert.Equal(e.Rows.Count, a.Rows.Count);
            for (int r = 0; r < e.Rows.Count; r++)
            {
                Xunit.Assert.Equal(e.Rows[r].Length, a.Rows[r].Length);
                for (int c = 0; c < e.Rows[r].Length; c++)
                {
                    object? ev = e.Rows[r][c];
                    object? av = a.Rows[r][c];
                    Xunit.Assert.Equal(ev?.GetType(), av?.GetType());
                    Xunit.Assert.Equal(ev, av);
                }
            }
        }
    }
}
