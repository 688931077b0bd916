using System.Diagnostics;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.Resilience;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace EfRedisCache.IntegrationTests.Cluster;

/// <summary>
/// A live resharding of the key prefix's hash slot (docs/design.md, "Redis Cluster: one hash slot per key
/// prefix"): every key of a prefix lives in one slot, and an operator moves that slot to another primary as
/// <c>redis-cli --cluster reshard</c> does (<see cref="SlotMigration"/>). Lookups do not follow redirects: while
/// the slot is migrating, every lookup names the primary probe key, which never exists, so the source answers ASK
/// (or TRYAGAIN when the command's other keys are still there) and the lookup goes to the database — no process
/// serves a hit until the move ends; after it, the source's MOVED sends lookups to the database and makes the
/// failover guard check the new owner, whose marker (moved with the slot) names the source's run_id, so every
/// entry from before the move is dead. Bumps follow MOVED and ASK; one refused (TRYAGAIN: a multi-key command over
/// a migrating slot with a key missing) is kept as a pending invalidation and replayed. Each test starts its own
/// cluster (three primaries, no replicas), since it ends with the slot on another node.
/// </summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterReshardingTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ResumeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The documented bound on the writer's pending invalidation (README, "Limits"): replayed every 200 ms once
    /// Redis takes it; five seconds leaves room for a loaded machine.
    /// </summary>
    private static readonly TimeSpan ReplayTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_resharding_while_idle_keeps_reads_right_the_cache_resumes_on_the_new_node_and_writes_are_seen_at_once()
    {
        await using var scene = await StartSceneAsync();
        var (processA, processB, shop) = (scene.ProcessA, scene.ProcessB, scene.Shop);

        var truth = await CrossProcessReads.ReadTwiceAsync(shop, processA);
        Assert.Equal(truth, await CrossProcessReads.ReadTwiceAsync(shop, processB));
        Assert.Equal(truth, await ResilienceKit.TruthAsync(shop));
        Assert.NotEmpty(scene.KeysOn(scene.Primary));

        var migration = await scene.BeginMigrationAsync();
        await migration.FinishAsync(batch: 2);
        output.WriteLine($"slot {scene.Slot}: {migration.Moved} keys moved from port {scene.Primary} to port {scene.NextPrimary}");
        Assert.Empty(scene.KeysOn(scene.Primary));
        Assert.NotEmpty(scene.KeysOn(scene.NextPrimary));

        // Neither process was told: their first lookups meet the source's MOVED. Every read is right on the way,
        // and the cache serves hits again from the new owner.
        await CrossProcessReads.AssertResumesAsync(shop, truth, "after the resharding", ResumeTimeout, processA, processB);
        AssertEntriesOnlyOn(scene, scene.NextPrimary);
        AssertTheNewOwnerWasChecked(scene);

        // Invalidations reach the new owner: a write in one process is seen at once by both, then cached again.
        var second = await CrossProcessReads.RenameNovelAsync(shop, "Second edition");
        await CrossProcessReads.AssertReadsAsync(shop, second, "after a write on the new owner", processA, processB);
        await CrossProcessReads.AssertResumesAsync(shop, second, "after a write on the new owner", ResumeTimeout, processA, processB);
        AssertEntriesOnlyOn(scene, scene.NextPrimary);
    }

    /// <summary>
    /// The slot half-migrated — some of its keys on each node, the source MIGRATING and the target IMPORTING — when
    /// process A saves. A must never read the row from before its own write; once the migration finished and the
    /// pending invalidation (if the bump was refused) is replayed, within <see cref="ReplayTimeout"/>, neither
    /// process reads it, and the cache resumes. Process B does not read it either while the slot is half-migrated,
    /// although the bump was refused there: no lookup is a hit on a migrating slot (see the assertion).
    /// </summary>
    /// <param name="split">
    /// Which keys move first: <c>alternate</c>, every other key in name order, so a save's bump finds its version
    /// counters on both nodes; <c>versions</c>, every version counter (the bump is sent on by the source's ASK);
    /// <c>entries</c>, every entry and the guard's marker (the bump stays on the source). In all three Redis answers
    /// the bump TRYAGAIN, and it is kept pending: it also names the database's write counter (<c>…:w</c>), which no
    /// query had created yet, and a node refuses a multi-key command over a migrating or importing slot when some of
    /// its keys are missing.
    /// </param>
    [Theory]
    [InlineData("alternate")]
    [InlineData("versions")]
    [InlineData("entries")]
    public async Task A_write_while_the_prefixs_slot_is_half_migrated_is_read_by_its_writer_at_once_and_by_every_process_once_the_migration_ends(string split)
    {
        await using var scene = await StartSceneAsync();
        var (processA, processB, shop) = (scene.ProcessA, scene.ProcessB, scene.Shop);

        // Entries in Redis and rows kept in both processes, and the key lookup's row version too.
        var before = await CrossProcessReads.ReadTwiceAsync(shop, processA);
        Assert.Equal(before, await CrossProcessReads.ReadTwiceAsync(shop, processB));
        string novel;
        await using (var uncached = shop.NewUncachedContext())
        {
            novel = await uncached.Products.Where(p => p.Id == ShopSeed.NovelId).Select(p => p.Name).SingleAsync();
        }

        for (var i = 0; i < 2; i++)
        {
            await using var context = shop.NewContext(processB);
            Assert.Equal(novel, await LookUpNovelAsync(context));
        }

        var failedLookupsBefore = Count(scene.Logs, "LookupFailed");
        var migration = await scene.BeginMigrationAsync();

        var keys = (await migration.KeysLeftAsync()).Order(StringComparer.Ordinal).ToList();
        var versions = RedisServerFixture.KeyStart(scene.Prefix) + ":v:";
        var moved = split switch
        {
            "alternate" => keys.Where((_, i) => i % 2 == 0).ToList(),
            "versions" => keys.Where(k => k.StartsWith(versions, StringComparison.Ordinal)).ToList(),
            "entries" => keys.Where(k => !k.StartsWith(versions, StringComparison.Ordinal)).ToList(),
            _ => throw new ArgumentOutOfRangeException(nameof(split), split, "not a split of the slot's keys"),
        };
        Assert.True(moved.Count > 0 && moved.Count < keys.Count, $"the split '{split}' should leave keys on both nodes: {string.Join(", ", keys)}");
        await migration.MoveAsync(moved);
        output.WriteLine($"slot {scene.Slot} half-migrated from port {scene.Primary} to port {scene.NextPrimary}:");
        foreach (var key in keys)
        {
            output.WriteLine($"  {(moved.Contains(key) ? "moved" : "left ")} {key}");
        }

        var truth = await CrossProcessReads.RenameNovelAsync(shop, "Second edition");
        Assert.NotEqual(before, truth);
        output.WriteLine($"after the save: {Describe(scene.Logs)}");

        // While the slot stays half-migrated: the writer must read its write; the other process is measured.
        var bHalf = new StaleCount();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(1))
        {
            await CrossProcessReads.AssertReadAsync(shop, processA, truth, "in the writing process while the slot was half-migrated");
            await ReadAndCountAsync(shop, processB, truth, bHalf);
            await Task.Delay(50);
        }

        output.WriteLine($"process B while half-migrated: {bHalf}");

        // No process is served a hit while the slot migrates: every lookup carries the primary probe, whose key
        // exists on neither node, so the source answers ASK (TRYAGAIN beside keys it still holds) and the lookup,
        // which does not follow redirects, goes to the database. Followed, the probe would pass on the target
        // while the versions were read on the source, without the bump it refused.
        Assert.True(bHalf.Stale == 0, $"process B read the row from before the write while the slot was half-migrated: {bHalf}");
        output.WriteLine($"errors the cache logged while half-migrated:{Environment.NewLine}{Errors(scene.Logs)}");

        // Those refusals are what a resharding means, not a failing Redis: logged at Debug as such, not as failed
        // lookups (whose warning would send an operator after a network fault: StackExchange.Redis words an
        // unfollowed ASK as an unreachable endpoint).
        Assert.True(Count(scene.Logs, "SlotMigrating") > 0, $"no lookup was logged as refused for the slot's move: {Describe(scene.Logs)}");
        Assert.True(Count(scene.Logs, "LookupFailed") == failedLookupsBefore,
            $"lookups refused for the slot's move were logged as failed:{Environment.NewLine}{Errors(scene.Logs)}");

        await migration.FinishAsync(batch: 2);
        var finished = Stopwatch.StartNew();
        output.WriteLine($"migration finished: {migration.Moved} keys moved; {Describe(scene.Logs)}");

        // Bounded: the pending invalidation, if any, is replayed and both processes read the write.
        var bAfter = new StaleCount();
        var settled = await ResilienceKit.EventuallyAsync(async () =>
        {
            await CrossProcessReads.AssertReadAsync(shop, processA, truth, "in the writing process after the migration finished");
            var right = await ReadAndCountAsync(shop, processB, truth, bAfter);
            return right && !HasPending(scene);
        }, ReplayTimeout, TimeSpan.FromMilliseconds(50));
        output.WriteLine($"process B after the migration finished: {bAfter}; settled after {finished.ElapsedMilliseconds} ms; {Describe(scene.Logs)}");
        Assert.True(settled,
            $"{ReplayTimeout.TotalSeconds:0} s after the migration finished, process B still read the row from before the write or A's invalidation was still pending: {bAfter}; {Describe(scene.Logs)}");

        // From here on no process may read the old row, and the cache resumes on the new owner.
        await CrossProcessReads.AssertReadsAsync(shop, truth, "after the migration finished", processA, processB);
        await CrossProcessReads.AssertResumesAsync(shop, truth, "after the migration finished", ResumeTimeout, processA, processB);
        output.WriteLine($"the cache served hits again {finished.ElapsedMilliseconds} ms after the migration finished");
        await using (var context = shop.NewContext(processB))
        {
            Assert.Equal("Second edition", await LookUpNovelAsync(context));
        }

        Assert.Empty(scene.KeysOn(scene.Primary));
        AssertTheNewOwnerWasChecked(scene);
        output.WriteLine($"keys on the new owner at the end: {string.Join(", ", scene.KeysOn(scene.NextPrimary).Order(StringComparer.Ordinal))}");
    }

    /// <summary>
    /// Reads and writes go on while the slot moves a key at a time: process A saves a new stock for the novel again
    /// and again and reads the list right after each save (it must see its own write, every time); process B reads
    /// in a loop and must never see a stock older than a save that had returned. No exception may reach either.
    /// Once the migration finished and A's pending invalidation (if any) was replayed, every read in both processes
    /// equals the database, and the cache resumes on the new owner.
    /// </summary>
    [Fact]
    public async Task Reads_and_writes_during_a_resharding_in_batches_end_equal_to_the_database()
    {
        await using var scene = await StartSceneAsync();
        var (processA, processB, shop) = (scene.ProcessA, scene.ProcessB, scene.Shop);
        await CrossProcessReads.ReadTwiceAsync(shop, processA);
        await CrossProcessReads.ReadTwiceAsync(shop, processB);

        long committed = 0; // the last stock whose SaveChanges returned
        var finishedAt = long.MaxValue; // the clock's ticks when the migration finished
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var (bDuring, bAfter) = (new StaleCount(), new StaleCount());

        var writer = Task.Run(async () =>
        {
            var writes = 0;
            for (var stock = 100L; !stop.IsCancellationRequested; stock++)
            {
                await using (var context = shop.NewContext(processA))
                {
                    (await context.Products.SingleAsync(p => p.Id == ShopSeed.NovelId)).Stock = stock;
                    await context.SaveChangesAsync();
                }

                Volatile.Write(ref committed, stock);
                writes++;
                await using (var context = shop.NewContext(processA))
                {
                    var read = NovelStock(await ResilienceKit.ProductRowsAsync(context, cached: true));
                    Assert.True(read == stock, $"process A read stock {read} right after saving {stock}, {clock.ElapsedMilliseconds} ms into the run");
                }

                await Task.Delay(20);
            }

            return writes;
        });
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var floor = Volatile.Read(ref committed);
                var startedAt = clock.ElapsedTicks;
                await using var context = shop.NewContext(processB);
                var read = NovelStock(await ResilienceKit.ProductRowsAsync(context, cached: true));
                (startedAt > Volatile.Read(ref finishedAt) ? bAfter : bDuring).Add(read >= floor);
                await Task.Delay(10);
            }
        });

        try
        {
            var migration = await scene.BeginMigrationAsync();
            await Task.Delay(200);
            await migration.FinishAsync(batch: 1, pause: TimeSpan.FromMilliseconds(150));
            Volatile.Write(ref finishedAt, clock.ElapsedTicks);
            output.WriteLine($"migration finished after {clock.ElapsedMilliseconds} ms: {migration.Moved} keys moved one at a time; {Describe(scene.Logs)}");
            await Task.Delay(1000); // the loops go on against the new owner
        }
        finally
        {
            // Also when the migration failed: the loops must end before the scene disposes the processes.
            await stop.CancelAsync();
            await Task.WhenAny(Task.WhenAll(writer, reader), Task.Delay(TimeSpan.FromSeconds(10)));
        }

        Assert.True(writer.IsCompleted && reader.IsCompleted, "the read and write loops did not end within 10 s of being stopped");
        var writes = await writer;
        await reader;
        output.WriteLine($"{writes} writes by process A, each read back right");
        output.WriteLine($"process B's reads until the migration finished: {bDuring}");
        output.WriteLine($"process B's reads in the second after it: {bAfter}");
        output.WriteLine($"errors the cache logged:{Environment.NewLine}{Errors(scene.Logs)}");
        Assert.True(writes > 0, "process A wrote nothing");
        Assert.True(bDuring.Stale == 0 && bAfter.Stale == 0, $"process B read a stock older than a save that had returned: during the migration {bDuring}; after it {bAfter}");

        Assert.True(await ResilienceKit.EventuallyAsync(() => Task.FromResult(!HasPending(scene)), ReplayTimeout, TimeSpan.FromMilliseconds(50)),
            $"process A's pending invalidation was not replayed within {ReplayTimeout.TotalSeconds:0} s after the migration: {Describe(scene.Logs)}");
        var truth = await ResilienceKit.TruthAsync(shop);
        await CrossProcessReads.AssertReadsAsync(shop, truth, "after the migration and the loops ended", processA, processB);
        await CrossProcessReads.AssertResumesAsync(shop, truth, "after the migration and the loops ended", ResumeTimeout, processA, processB);
        Assert.Empty(scene.KeysOn(scene.Primary));
        AssertTheNewOwnerWasChecked(scene);
    }

    /// <summary>
    /// Three primaries, no replicas (a resharding needs none), and a circuit breaker that, once open, stays open
    /// for a minute. Every lookup is refused while the slot migrates (ASK, TRYAGAIN), and a refusal is no failure
    /// of Redis (RedisCacheStore.IsSlotMigrating): the breaker must stay closed, so that the cache resumes within
    /// <see cref="ResumeTimeout"/> of the move's end. Counted as failures, three of them would keep the cache off
    /// for the whole minute.
    /// </summary>
    private static Task<ClusterScene> StartSceneAsync()
        => ClusterScene.StartAsync(replicasPerPrimary: 0, o => o.CircuitBreakerBreakDuration = TimeSpan.FromMinutes(1));

    private static long NovelStock(List<string> rows)
    {
        var novel = Assert.Single(rows, r => r.StartsWith(ShopSeed.NovelId + "|", StringComparison.Ordinal));
        return long.Parse(novel.Split('|')[3], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Task<string> LookUpNovelAsync(ShopContext context)
        => context.Products.Where(p => p.Id == ShopSeed.NovelId).Select(p => p.Name).Cacheable().SingleAsync();

    /// <summary>
    /// True while process A holds a pending invalidation: its last deferral was not followed by a delivery (one
    /// replay delivers every deferral before it). Only A writes, so only A defers.
    /// </summary>
    private static bool HasPending(ClusterScene scene)
        => scene.Logs.Collector.GetSnapshot().LastOrDefault(r => r.Id.Name is "InvalidationDeferred" or "PendingInvalidationsDelivered")?.Id.Name
           == "InvalidationDeferred";

    /// <summary>How often each of the cache's events of interest was logged so far, for the test output.</summary>
    private static string Describe(Microsoft.Extensions.Logging.Testing.FakeLoggerProvider logs)
    {
        string[] names = ["LookupFailed", "SlotMigrating", "InvalidationDeferred", "PendingInvalidationsDelivered", "RedisServerChanged", "StoreFailed"];
        return string.Join(", ", names.Select(n => $"{n} {Count(logs, n)}"));
    }

    private static int Count(Microsoft.Extensions.Logging.Testing.FakeLoggerProvider logs, string eventName)
        => logs.Collector.GetSnapshot().Count(r => r.Id.Name == eventName);

    /// <summary>The distinct errors behind the cache's failed lookups and deferred invalidations, for the test output.</summary>
    private static string Errors(Microsoft.Extensions.Logging.Testing.FakeLoggerProvider logs)
        => string.Join(Environment.NewLine, logs.Collector.GetSnapshot()
            .Where(r => r.Id.Name is "LookupFailed" or "InvalidationDeferred" or "StoreFailed")
            .Select(r => $"  {r.Id.Name}: {r.Exception?.GetType().Name}: {r.Exception?.Message.Split(Environment.NewLine)[0]}")
            .Select(e => e.Length > 220 ? e[..220] : e)
            .Distinct());

    /// <summary>Reads once through <paramref name="process"/> and counts the read in <paramref name="count"/>; true when it returned <paramref name="truth"/>.</summary>
    private static async Task<bool> ReadAndCountAsync(ShopHarness shop, IConnectionMultiplexer process, List<string> truth, StaleCount count)
    {
        await using var context = shop.NewContext(process);
        var right = truth.SequenceEqual(await ResilienceKit.ProductRowsAsync(context, cached: true));
        count.Add(right);
        return right;
    }

    /// <summary>
    /// The failover guard checked the slot's new owner: the marker key moved with the slot still named the source's
    /// run_id, so the check bumped the global epoch (every entry from before the move is dead) and said so.
    /// </summary>
    private static void AssertTheNewOwnerWasChecked(ClusterScene scene)
        => Assert.Contains(scene.Logs.Collector.GetSnapshot(), r => r.Id.Name == "RedisServerChanged");

    private static void AssertEntriesOnlyOn(ClusterScene scene, int port)
    {
        foreach (var other in scene.Cluster.Ports.Where(p => p != port))
        {
            Assert.Empty(scene.KeysOn(other));
        }

        Assert.Contains(scene.KeysOn(port), k => k.StartsWith(RedisServerFixture.KeyStart(scene.Prefix) + ":q:", StringComparison.Ordinal));
    }

    /// <summary>Reads and how many of them returned rows other than the truth, with when the first and last did.</summary>
    private sealed class StaleCount
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public int Reads { get; private set; }

        public int Stale { get; private set; }

        public TimeSpan? FirstStale { get; private set; }

        public TimeSpan? LastStale { get; private set; }

        public void Add(bool right)
        {
            Reads++;
            if (!right)
            {
                Stale++;
                FirstStale ??= _clock.Elapsed;
                LastStale = _clock.Elapsed;
            }
        }

        public override string ToString()
            => Stale == 0
                ? $"{Reads} reads, none stale"
                : $"{Stale} of {Reads} reads stale, from {FirstStale!.Value.TotalMilliseconds:0} ms to {LastStale!.Value.TotalMilliseconds:0} ms";
    }
}
