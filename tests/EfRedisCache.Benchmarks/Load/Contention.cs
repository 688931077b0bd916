using System.Diagnostics;
using System.Globalization;
using EfRedisCache.Benchmarks.Infrastructure;
using EfRedisCache.Benchmarks.Model;
using EfRedisCache.Configuration;
using EfRedisCache.Invalidation;
using EfRedisCache.Keys;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace EfRedisCache.Benchmarks.Load;

/// <summary>
/// Contention and growth in the process-wide registries (review stop 24): how long a read inside one transaction
/// waits while another transaction's held sets are merged (<see cref="DeferredInvalidations"/>), and what a rotation of
/// more connection strings than <see cref="DatabaseIdentity"/> remembers costs per call.
/// </summary>
internal static class Contention
{
    public static void Run()
    {
        MergeStall(saves: 20, rowsPerSave: 20_000);
        IdentityRotation([500, 1_500, 3_000], calls: 30_000);
        AddedRowCollection(rows: 100_000, runs: 9);
    }

    /// <summary>
    /// What collecting a SaveChanges of <paramref name="rows"/> added rows costs the cache: both collections (before the
    /// save, after its first command) and the resolution of the added rows' keys, without the save itself. Median of runs.
    /// </summary>
    private static void AddedRowCollection(int rows, int runs)
    {
        var created = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var times = new List<double>();
        var held = 0;
        for (var run = 0; run < runs; run++)
        {
            using var context = new BenchContext(BenchEnvironment.Sqlite());
            context.Products.AddRange(Enumerable.Range(1_000_000, rows).Select(id => new Product { Id = id, Name = $"Bulk {id}", Price = 1m, Stock = 1, CreatedUtc = created, CategoryId = 1 }));
            var clock = Stopwatch.StartNew();
            var set = ChangeTrackerInvalidation.Collect(context, "contention-db");
            ChangeTrackerInvalidation.CollectAgain(context, set);
            held = set.AddedRowCount;
            set.ResolveAddedRows();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        Console.WriteLine("| added rows | added rows held for key resolution | collections and key resolution, median of " + runs.ToString(CultureInfo.InvariantCulture) + " (ms) |");
        Console.WriteLine("| ---: | ---: | ---: |");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {rows:N0} | {held:N0} | {times[runs / 2]:N0} |"));
        Console.WriteLine();
    }

    /// <summary>
    /// One thread defers saves of <paramref name="rowsPerSave"/> rows into one transaction (each past the bound, so each
    /// merges what is held); another asks, back to back, whether a second transaction has written.
    /// </summary>
    private static void MergeStall(int saves, int rowsPerSave)
    {
        var directory = Directory.CreateTempSubdirectory("efrc-contention").FullName;
        using var context = new BenchContext(BenchEnvironment.Sqlite(b => BenchEnvironment.CacheAside(b, "contention")));
        var publisher = context.GetService<IDbContextOptions>().FindExtension<RedisCacheAsideOptionsExtension>()!.Runtime.Publisher;
        using var writing = new SqliteConnection($"Data Source={Path.Combine(directory, "a.db")}");
        using var reading = new SqliteConnection($"Data Source={Path.Combine(directory, "b.db")}");
        writing.Open();
        reading.Open();
        using var writingTransaction = writing.BeginTransaction();
        using var readingTransaction = reading.BeginTransaction();
        var registry = new TransactionInvalidations();
        var sets = Enumerable.Range(0, saves).Select(s => SaveOf(s * rowsPerSave, rowsPerSave)).ToList();

        var done = 0;
        var reads = new List<double>(1 << 20);
        var reader = new Thread(() =>
        {
            while (Volatile.Read(ref done) == 0)
            {
                var started = Stopwatch.GetTimestamp();
                _ = registry.HasWritten(readingTransaction);
                reads.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        });
        var pausedBefore = GC.GetTotalPauseDuration();
        reader.Start();
        var clock = Stopwatch.StartNew();
        var contendedBefore = Monitor.LockContentionCount;
        var longestSave = 0.0;
        foreach (var set in sets)
        {
            var saving = Stopwatch.GetTimestamp();
            registry.Defer(writingTransaction, publisher, set);
            longestSave = Math.Max(longestSave, Stopwatch.GetElapsedTime(saving).TotalMilliseconds);
        }

        var contended = Monitor.LockContentionCount - contendedBefore;

        var written = clock.Elapsed;
        Volatile.Write(ref done, 1);
        reader.Join();
        var paused = GC.GetTotalPauseDuration() - pausedBefore;
        reads.Sort();
        Console.WriteLine("| saves merged | rows per save | merging (ms) | longest save (ms) | lock contentions | reads meanwhile | slowest read (ms) | reads over 1 ms | their total (ms) | GC pauses meanwhile (ms) |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {saves} | {rowsPerSave:N0} | {written.TotalMilliseconds:N0} | {longestSave:N1} | {contended:N0} | {reads.Count:N0} | {reads[^1]:N2} | {reads.Count(static r => r > 1):N0} | {reads.Where(static r => r > 1).Sum():N0} | {paused.TotalMilliseconds:N0} |"));
        Console.WriteLine();
    }

    private static InvalidationSet SaveOf(int first, int rows)
    {
        var set = new InvalidationSet("contention-db");
        for (var table = 0; table < 4; table++)
        {
            set.Tables.Add($"t{table}");
        }

        for (var id = first; id < first + rows; id++)
        {
            set.Rows.Add(($"t{id % 4}", id.ToString(CultureInfo.InvariantCulture)));
        }

        return set;
    }

    /// <summary>Connection strings asked in turn, each on a new connection object (as a context per request does).</summary>
    private static void IdentityRotation(int[] strings, int calls)
    {
        Console.WriteLine("| strings in rotation | calls | µs per call | remembered after |");
        Console.WriteLine("| ---: | ---: | ---: | ---: |");
        foreach (var count in strings)
        {
            var tenant = Guid.NewGuid().ToString("N")[..8];
            var connectionStrings = Enumerable.Range(0, count).Select(i => $"Data Source={Path.Combine(Path.GetTempPath(), $"tenant-{tenant}-{i}.db")}").ToArray();
            for (var i = 0; i < calls; i++)
            {
                using var warm = new SqliteConnection(connectionStrings[i % count]);
                _ = DatabaseIdentity.Of(warm);
            }

            var clock = Stopwatch.StartNew();
            for (var i = 0; i < calls; i++)
            {
                using var connection = new SqliteConnection(connectionStrings[Random.Shared.Next(count)]);
                _ = DatabaseIdentity.Of(connection);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {count:N0} | {calls:N0} | {clock.Elapsed.TotalMicroseconds / calls:N2} | {DatabaseIdentity.RememberedCount:N0} |"));
        }

        Console.WriteLine();
    }
}
