using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// Fails the first commit it sees before it reaches the database — as a canceled or timed-out <c>CommitAsync</c>
/// does — and leaves the transaction open, so that the application can commit it again.
/// </summary>
internal sealed class FailFirstCommit : DbTransactionInterceptor
{
    private int _commits;

    public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        ThrowOnFirst();
        return result;
    }

    public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        ThrowOnFirst();
        return ValueTask.FromResult(result);
    }

    private void ThrowOnFirst()
    {
        if (Interlocked.Increment(ref _commits) == 1)
        {
            throw new TimeoutException("the commit did not go out");
        }
    }
}
