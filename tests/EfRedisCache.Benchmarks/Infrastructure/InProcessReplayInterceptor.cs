using System.Data;
using System.Data.Common;
using EfRedisCache.Benchmarks.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EfRedisCache.Benchmarks.Infrastructure;

/// <summary>
/// The "in-process replay" baseline: EF Core's own cost for a query whose rows come from memory, with no
/// database and no Redis. In capture mode it copies the real reader's rows into a <see cref="DataTable"/>
/// (typed by the provider's field types); in replay mode it suppresses the command and hands EF Core a
/// <see cref="DataTableReader"/> over those rows, the same way a cache hit does.
/// </summary>
public sealed class InProcessReplayInterceptor : DbCommandInterceptor
{
    private readonly Dictionary<Workload, DataTable> _tables = [];

    /// <summary>The workload whose rows the next command captures or replays (benchmarks are single-threaded).</summary>
    public Workload Current { get; set; }

    public bool Capturing { get; set; }

    /// <summary>
    /// SQLite context options whose every query replays the rows of <paramref name="workload"/>, captured once
    /// from PostgreSQL: its readers give EF Core's CLR types (decimal, DateTime), where SQLite reports every
    /// integer column as Int64; the same SELECT list on SQLite reads them with the same Get* calls.
    /// </summary>
    public static async Task<DbContextOptions<BenchContext>> SqliteReplayOfAsync(Workload workload)
    {
        var replay = new InProcessReplayInterceptor { Current = workload, Capturing = true };
        await Queries.RunAsync(BenchEnvironment.Postgres(b => b.AddInterceptors(replay)), workload, cacheable: false).ConfigureAwait(false);
        replay.Capturing = false;
        return BenchEnvironment.Sqlite(b => b.AddInterceptors(replay));
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        => Capturing ? result : InterceptionResult<DbDataReader>.SuppressWithResult(_tables[Current].CreateDataReader());

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(ReaderExecuting(command, eventData, result));

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        if (!Capturing)
        {
            return result;
        }

        // Built by hand, not DataTable.Load: Load would merge join rows that share a key column.
        var table = new DataTable();
        for (var i = 0; i < result.FieldCount; i++)
        {
            table.Columns.Add($"c{i}", result.GetFieldType(i));
        }

        var values = new object[result.FieldCount];
        while (result.Read())
        {
            result.GetValues(values);
            table.Rows.Add(values);
        }

        result.Dispose();
        _tables[Current] = table;
        return table.CreateDataReader();
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(ReaderExecuted(command, eventData, result));
}
