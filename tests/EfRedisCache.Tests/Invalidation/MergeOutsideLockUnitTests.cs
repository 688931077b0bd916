using EfRedisCache.Invalidation;
using EfRedisCache.Sql;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.Tests.Invalidation;

/// <summary>
/// A long transaction's held sets are merged once they pass a bound (<see cref="DeferredInvalidations"/>); a merge of
/// thousands of rows takes milliseconds. The registries are one per process, and every read inside any transaction asks
/// them (<see cref="TransactionInvalidations.HasWritten"/>), as does every raw <c>BEGIN</c> and save: a merge run under
/// their lock stalled all of them for its length. Here the merge waits at a gate (the key getter of an added row it
/// resolves), and another transaction's calls must not wait for it.
/// </summary>
public sealed class MergeOutsideLockUnitTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private readonly OfflineRegistration _registration = new("merge-outside-lock");
    private readonly SqliteConnection _connection = new("Data Source=merge-outside-lock.db");
    private readonly SqliteConnection _otherConnection = new("Data Source=merge-outside-lock-other.db");
    private readonly GatedKeyContext _context = new(new DbContextOptionsBuilder<GatedKeyContext>().UseSqlite("Data Source=:memory:").Options);
    private readonly ManualResetEventSlim _mergeReached = new();
    private readonly ManualResetEventSlim _gate = new();

    public MergeOutsideLockUnitTests()
    {
        _connection.Open();
        _otherConnection.Open();
    }

    public void Dispose()
    {
        _gate.Set();
        _context.Dispose();
        _connection.Dispose();
        _otherConnection.Dispose();
        _registration.Dispose();
        _gate.Dispose();
        _mergeReached.Dispose();
    }

    [Fact]
    public async Task A_read_in_another_transaction_does_not_wait_for_a_merge()
    {
        var registry = new TransactionInvalidations();
        using var merging = _connection.BeginTransaction();
        using var other = _otherConnection.BeginTransaction();
        registry.Defer(merging, _registration.Publisher, GatedSet());

        // Past the row bound: this save merges the transaction's sets, and the merge waits at the gate.
        var merge = Task.Run(() => registry.Defer(merging, _registration.Publisher, OfflineRegistration.SaveOfRows("db", 0, InvalidationSet.MaxRowKeys + 1)));
        Assert.True(_mergeReached.Wait(Patience), "the merge never read the added row");

        var read = Task.Run(() => registry.HasWritten(other));
        var finished = await Task.WhenAny(read, Task.Delay(Patience));
        _gate.Set();
        await merge;
        Assert.Same(read, finished);
        Assert.False(await read);

        // The merge still landed: the transaction holds one merged set naming the gated row.
        var held = registry.Take(merging)!;
        Assert.Contains(held, d => d.Set.Rows.Contains(("gated", "7")));
    }

    [Fact]
    public async Task A_raw_begin_on_another_connection_does_not_wait_for_a_merge()
    {
        var registry = new RawSqlTransactions();
        var logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        registry.Apply(_connection, TransactionControl.Begin, logger);
        Assert.True(registry.TryDefer(_connection, _registration.Publisher, GatedSet()));

        var merge = Task.Run(() => registry.TryDefer(_connection, _registration.Publisher, OfflineRegistration.SaveOfRows("db", 0, InvalidationSet.MaxRowKeys + 1)));
        Assert.True(_mergeReached.Wait(Patience), "the merge never read the added row");

        var begin = Task.Run(() => registry.Apply(_otherConnection, TransactionControl.Begin, logger));
        var finished = await Task.WhenAny(begin, Task.Delay(Patience));
        _gate.Set();
        Assert.True(await merge);
        Assert.Same(begin, finished);
        Assert.True(registry.IsOpen(_otherConnection));

        var held = registry.Apply(_connection, TransactionControl.End, logger)!;
        Assert.Contains(held, d => d.Set.Rows.Contains(("gated", "7")));
    }

    /// <summary>A set holding row 7 of <c>gated</c> as an added row: resolving it reads the key, which then waits at the gate.</summary>
    private InvalidationSet GatedSet()
    {
        var row = new GatedKeyRow { Id = 7 };
        var entry = _context.Add(row);
        row.KeyRead = () =>
        {
            _mergeReached.Set();
            _gate.Wait();
        };
        var set = new InvalidationSet("db");
        set.AddAddedRow(entry, entry.Metadata.FindPrimaryKey()!.Properties[0], ["gated"]);
        return set;
    }
}
