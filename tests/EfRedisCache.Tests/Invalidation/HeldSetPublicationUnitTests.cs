using System.Globalization;
using System.Transactions;
using EfRedisCache.Configuration;
using EfRedisCache.Invalidation;
using EfRedisCache.Tests.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace EfRedisCache.Tests.Invalidation;

/// <summary>
/// A write inside a <see cref="TransactionScope"/> (or a raw transaction) is held for the transaction's end and published
/// at once as well, the same set. The end may come on another thread while the write is still being published (the
/// scope's timeout aborts it on a timer; parallel saves in one scope merge what it holds), and reads the held sets
/// then: "sets already held are never changed" (<see cref="DeferredInvalidations"/>). Bounding the set's row keys for
/// its bump changed it in place, under that reader.
/// </summary>
public sealed class HeldSetPublicationUnitTests
{
    private const int Rows = 1_500;

    [Fact]
    public async Task Publishing_a_held_set_at_once_leaves_it_as_the_transaction_holds_it()
    {
        using var multiplexer = ConnectionMultiplexer.Connect("127.0.0.1:1,abortConnect=false,connectTimeout=1");
        using var context = new RuleContext(new DbContextOptionsBuilder<RuleContext>()
            .UseSqlite("Data Source=held-set.db")
            .UseRedisCacheAside(multiplexer, o => o.KeyPrefix = "held-set")
            .Options);
        var publisher = context.GetService<IDbContextOptions>().FindExtension<RedisCacheAsideOptionsExtension>()!.Runtime.Publisher;

        using var scope = new TransactionScope(TransactionScopeOption.Required, TimeSpan.FromMinutes(5), TransactionScopeAsyncFlowOption.Enabled);
        var set = new InvalidationSet("db");
        set.Tables.Add("items");
        for (var row = 0; row < Rows; row++)
        {
            set.Rows.Add(("items", row.ToString(CultureInfo.InvariantCulture)));
        }

        AmbientTransactionInvalidation.Defer(Transaction.Current!, set, publisher, NullLogger.Instance);

        // The transaction's end, reading what it holds, while the write's own publication goes on.
        using var reading = set.Rows.GetEnumerator();
        Assert.True(reading.MoveNext());
        await publisher.PublishAsync(set, NullLogger.Instance, async: true);

        var read = 1;
        while (reading.MoveNext())
        {
            read++;
        }

        Assert.Equal(Rows, read);
        Assert.Equal(Rows, set.Rows.Count);
    }
}
