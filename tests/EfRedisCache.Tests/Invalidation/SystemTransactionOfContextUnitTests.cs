using EfRedisCache.Invalidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace EfRedisCache.Tests.Invalidation;

/// <summary>
/// Every cached query asks which System.Transactions transaction its context's commands run in
/// (<see cref="SystemTransactionOfContext"/>), hits too, and a context built per request asks it at its first query.
/// Through <c>Database.GetEnlistedTransaction()</c> that built the database facade's dependencies (its database creator
/// among them) for that question alone: about 900 bytes more per hit on a new context.
/// </summary>
public sealed class SystemTransactionOfContextUnitTests
{
    [Fact]
    public void Asking_a_new_context_that_has_run_a_query_allocates_next_to_nothing()
    {
        var options = new DbContextOptionsBuilder<GatedKeyContext>().UseSqlite("Data Source=:memory:").Options;
        Measure(options); // types, delegates and EF Core's service provider built once
        Assert.InRange(Measure(options), 0, 64);
    }

    private static long Measure(DbContextOptions<GatedKeyContext> options)
    {
        using var context = new GatedKeyContext(options);
        var connection = context.GetService<IRelationalConnection>(); // as a query does, without the database facade
        connection.Open();
        var before = GC.GetAllocatedBytesForCurrentThread();
        _ = SystemTransactionOfContext.Of(context, connection.DbConnection);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
