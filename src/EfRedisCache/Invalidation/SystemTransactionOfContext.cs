using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace EfRedisCache.Invalidation;

/// <summary>
/// The System.Transactions transaction a context's commands run in: the ambient one (a <c>TransactionScope</c>), or
/// one the application enlisted the connection in by hand (<c>Database.EnlistTransaction</c>), which
/// <see cref="System.Transactions.Transaction.Current"/> does not show, or the scope its connection was opened under.
/// Seen through <c>Transaction.Current</c> only, the enlisted connection's uncommitted rows were stored for everyone,
/// and its writes bumped once, before their commit (found by review, <c>PostgreSql/PostgreSqlTransactionScopeTests</c>).
/// </summary>
internal static class SystemTransactionOfContext
{
    public static System.Transactions.Transaction? Of(DbContext? context, DbConnection? connection)
    {
        if (System.Transactions.Transaction.Current is { } ambient)
        {
            return ambient;
        }

        // EF Core keeps the enlisted transaction until the connection closes, also once it has ended: an ended one no
        // longer holds the connection's reads or writes. So for the scope the connection was opened under, which an
        // async operation's continuation on a pool thread no longer sees as current (ConnectionEnlistments).
        if (EnlistedByHand(context) is { } enlisted && IsActive(enlisted))
        {
            return enlisted;
        }

        return ConnectionEnlistments.Of(connection) is { } openedUnder && IsActive(openedUnder) ? openedUnder : null;
    }

    private static System.Transactions.Transaction? EnlistedByHand(DbContext? context)
    {
        if (context is null)
        {
            return null;
        }

        try
        {
            // Asked of the connection, EF Core's transaction manager, which a query has resolved already:
            // Database.GetEnlistedTransaction() builds the database facade's dependencies (its database creator among
            // them) for this question alone, at the first hit of every new context (SystemTransactionOfContextUnitTests).
            return context.GetService<IRelationalConnection>() is ITransactionEnlistmentManager manager ? manager.EnlistedTransaction : null;
        }
        catch (ObjectDisposedException)
        {
            // A writing reader closed after its context was disposed: its connection's scope still answers.
            return null;
        }
    }

    private static bool IsActive(System.Transactions.Transaction transaction)
    {
        try
        {
            return transaction.TransactionInformation.Status is not (System.Transactions.TransactionStatus.Committed or System.Transactions.TransactionStatus.Aborted);
        }
        catch (ObjectDisposedException)
        {
            return false; // disposed by the application, which ends it
        }
    }
}
