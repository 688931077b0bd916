using System.Data.Common;
using System.Runtime.CompilerServices;
using EfRedisCache.Invalidation;
using EfRedisCache.Keys;
using EfRedisCache.Metadata;
using EfRedisCache.Sql;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace EfRedisCache.Interception;

/// <summary>
/// The write path of commands other than SaveChanges' own: ExecuteUpdate, ExecuteDelete and raw SQL. Each
/// invalidates the tables it targets after it commits, or the whole database when the target cannot be told.
/// </summary>
internal sealed class CommandWriteInvalidation
{
    private static readonly HashSet<string> NoTables = [];

    private readonly CacheRuntime _runtime;
    private readonly ConditionalWeakTable<DbCommand, InvalidationSet> _readerWrites = [];

    public CommandWriteInvalidation(CacheRuntime runtime)
    {
        _runtime = runtime;
    }

    /// <summary>
    /// A command that failed or was canceled may have applied part of its statements (SQLite runs them one after
    /// the other, each committing in autocommit or staying in the open transaction): its writes are invalidated as
    /// if it had completed. A transaction end in it counts as a checkpoint of an open transaction (raw, or EF Core's)
    /// only: a <c>COMMIT</c> that failed may leave the transaction open (SQLite's busy database), or may have committed
    /// before a later statement failed. SaveChanges' own commands
    /// are the SaveChanges interceptor's to publish; a failed one still collects the save's entries again, as a completed
    /// one does: the failure may come after the command ran (an application interceptor's, a later statement's), and
    /// what only EF Core's change detection found is collected no earlier (<see cref="ChangeTrackerInvalidation.Collect"/>).
    /// </summary>
    public ValueTask AfterFailedAsync(DbCommand command, CommandEndEventData eventData, bool async)
    {
        if (eventData.CommandSource == CommandSource.SaveChanges)
        {
            if (_runtime.IsActiveFor(eventData.Context))
            {
                CollectSaveAgain(eventData.Context);
            }

            return ValueTask.CompletedTask;
        }

        return AfterExecutedAsync(command, eventData, eventData.ExecuteMethod == DbCommandMethod.ExecuteNonQuery, async, failed: true);
    }

    public async ValueTask AfterExecutedAsync(DbCommand command, CommandEventData eventData, bool isNonQuery, bool async, bool failed = false)
    {
        if (!_runtime.IsActiveFor(eventData.Context))
        {
            return;
        }

        if (_runtime.Transactions.HasExternalPending)
        {
            await _runtime.Publisher.PublishEndedExternalAsync(_runtime.LoggerFor(eventData.Context), async).ConfigureAwait(false);
        }

        if (eventData.CommandSource == CommandSource.SaveChanges)
        {
            CollectSaveAgain(eventData.Context);
            return;
        }

        var set = Plan(command, eventData, isNonQuery, out var write);
        var control = write?.Control ?? TransactionControl.None;
        if (write is { LostPlace: true } && control != TransactionControl.Begin && command.Connection is { } unreadConnection
            && Keys.SqliteConnectionType.Of(unreadConnection.GetType()) is null)
        {
            // What the scanner could not read may hold a BEGIN or a COMMIT (PostgreSQL's "-- note\rBEGIN"): a checkpoint
            // publishes what an open transaction owes and holds the connection as in one, so rows it reads uncommitted
            // are not stored for everyone (PostgreSqlHiddenRawBeginTests). SQLite is asked instead
            // (SqliteNativeTransaction): held, a pooled context that ran one bad command would bypass the cache for good.
            control = TransactionControl.Checkpoint;
        }

        if (failed && control == TransactionControl.End)
        {
            // A COMMIT or ROLLBACK that failed may leave an open transaction open (SQLite's busy database), or may have
            // committed before a later statement of the command failed: what it owes is published and it stays
            // marked. With none open (a defensive ROLLBACK with no transaction) there is nothing to end, and the
            // connection must not be marked as in one.
            control = command.Transaction is not null
                || (command.Connection is { } connection && _runtime.RawSqlTransactions.IsOpen(connection))
                ? TransactionControl.Checkpoint
                : TransactionControl.None;
        }

        if (failed && control == TransactionControl.Begin && write!.SingleStatement)
        {
            // A lone BEGIN that failed or was canceled (before it ran: a request aborted as its unit of work began)
            // opened no transaction: a statement that fails has no effect. Marked, the connection would bypass the
            // cache until its disposal, which a pooled context's connection never reaches.
            control = TransactionControl.None;
        }

        var snapshot = write?.SnapshotIsolation == true;
        if (set is null && control == TransactionControl.None && !snapshot)
        {
            return; // a read: no logger asked for, so queries the cache does not serve pay nothing more
        }

        var logger = _runtime.LoggerFor(eventData.Context);
        List<DeferredInvalidation>? owed = null;
        var endsTransaction = false;
        if (command.Transaction is { } transaction)
        {
            // Statements on EF Core's own transaction. A raw COMMIT ends it behind EF Core's back: what it holds is
            // published now, and kept for its end; what the context writes after it is published at once too.
            // SET TRANSACTION ISOLATION LEVEL makes it read a snapshot, which its IsolationLevel does not say: the
            // planner asks for both.
            endsTransaction = control is TransactionControl.End or TransactionControl.Checkpoint;
            if (control == TransactionControl.End)
            {
                _runtime.Transactions.MarkEndedBySql(transaction);
            }

            if (snapshot)
            {
                _runtime.Transactions.MarkReadsSnapshot(transaction);
            }
        }
        else if (command.Connection is { } connection
            && (control != TransactionControl.None || snapshot || (set is not null && SqliteNativeTransaction.IsOpen(connection))))
        {
            // Transaction statements EF Core does not see, applied before this command's own writes are published,
            // so writes after a BEGIN are held for its end too. A session-wide snapshot setting is held like a BEGIN,
            // and so is a write on a SQLite connection whose pool handed it a transaction another connection began.
            if (control == TransactionControl.Checkpoint && SqliteNativeTransaction.IsKnownOutside(connection))
            {
                // SQLite's RELEASE of the savepoint that began the transaction committed it (or COMMIT AND CHAIN failed to
                // chain): SQLite says none is open. Held as a checkpoint, the connection bypassed the cache until disposed,
                // which a pooled context's never is (RawSqlTransactionTests.A_raw_savepoint_released_…).
                control = TransactionControl.End;
            }

            owed = _runtime.RawSqlTransactions.Apply(connection, control == TransactionControl.None ? TransactionControl.Begin : control, logger);
        }

        if (set is not null)
        {
            await _runtime.Publisher.PublishAfterCommitAsync(eventData.Context, command.Connection, command.Transaction, set, logger, async).ConfigureAwait(false);
            await PublishOtherDatabasesAsync(command, eventData.Context, write!, set.DatabaseId, logger, async).ConfigureAwait(false);
        }

        if (endsTransaction)
        {
            // Copied once this command's own writes are deferred: they ran before its COMMIT (UPDATE …; COMMIT).
            owed = _runtime.Transactions.Copy(command.Transaction!);
        }

        if (owed is not null)
        {
            await InvalidationPublisher.PublishDeferredAsync(owed, logger, async).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <c>DROP</c>, <c>CREATE</c>, <c>ALTER</c> or <c>RESTORE DATABASE</c> run on a connection to another database
    /// (the server's maintenance database) replace or rename the database they name: its entries die too.
    /// </summary>
    private async ValueTask PublishOtherDatabasesAsync(DbCommand command, DbContext? context, WriteAnalysis write, string ownDatabaseId, ILogger logger, bool async)
    {
        foreach (var database in write.Databases)
        {
            if (DatabaseIdentity.OfOtherDatabase(command.Connection!, database) is { } databaseId && databaseId != ownDatabaseId)
            {
                var set = new InvalidationSet(databaseId) { WholeDatabase = true };
                await _runtime.Publisher.PublishAfterCommitAsync(context, command.Connection, command.Transaction, set, logger, async).ConfigureAwait(false);
            }
        }
    }

    private InvalidationSet? Plan(DbCommand command, CommandEventData eventData, bool isNonQuery, out WriteAnalysis? write)
    {
        write = null;
        if (command.Connection is null)
        {
            return null;
        }

        var context = eventData.Context;
        var model = context is null ? null : ModelCacheInfo.For(context.Model);
        if (!isNonQuery)
        {
            // Readers and scalars are queries unless their SQL modifies data (DELETE … RETURNING through FromSql).
            var isWrite = model?.AnalyzeQuery(command.CommandText).IsWrite
                ?? SqlWriteScanner.LooksLikeWrite(command.CommandText);
            if (!isWrite)
            {
                return null;
            }
        }

        write = model?.AnalyzeWrite(command.CommandText) ?? SqlWriteScanner.Analyze(command.CommandText, NoTables, isNonQuery: true);
        if (!write.IsWrite || DatabaseIdentity.Of(command.Connection) is not { } databaseId)
        {
            return null;
        }

        var set = new InvalidationSet(databaseId)
        {
            WholeDatabase = write.UnknownTarget,
            // The alias of an attached file does not say which file it is: every entry under the key prefix dies.
            EveryDatabase = DatabaseIdentity.NamesAttachedSqliteFile(command.Connection, write.TargetQualifiers),
        };
        set.BulkTables.UnionWith(write.Tables);
        if (model is not null)
        {
            // A DELETE through SQL also deletes or nulls the rows the database cascades to.
            foreach (var table in write.Tables)
            {
                set.BulkTables.UnionWith(model.CascadeTablesOf(table));
            }
        }

        if (!isNonQuery)
        {
            _readerWrites.AddOrUpdate(command, set);
        }

        return set;
    }

    /// <summary>
    /// SaveChanges' own commands: the SaveChanges interceptor knows their tables, collected before the save. Its
    /// first command (run or failed) collects them once more, since EF Core changes entries between SavingChanges and the commands.
    /// </summary>
    private void CollectSaveAgain(DbContext? context)
    {
        if (context is not null && _runtime.StateOf(context) is { SaveInProgress: { } set, SaveCollectedAgain: false } state)
        {
            state.SaveCollectedAgain = true;
            ChangeTrackerInvalidation.CollectAgain(context, set);
        }
    }

    /// <summary>A reader that writes may apply its changes while it is read: invalidate again once it is closed.</summary>
    public ValueTask AfterReaderClosedAsync(DbCommand command, DbContext? context, bool async)
    {
        if (!_readerWrites.TryGetValue(command, out var set))
        {
            return ValueTask.CompletedTask;
        }

        _readerWrites.Remove(command);
        return _runtime.Publisher.PublishAfterCommitAsync(context, command.Connection, command.Transaction, set, _runtime.LoggerFor(context), async);
    }
}
