using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// Answers every query with one canned row through a reader type of a plugin's (<see cref="ReaderType"/>, a subclass
/// of <see cref="DataTableReader"/> taking a <see cref="DataTable"/>). EF Core keeps its interceptors for the process,
/// so the plugin's type is held here only while the test sets it.
/// </summary>
internal sealed class PluginReaderAnswerInterceptor : DbCommandInterceptor
{
    public Type? ReaderType { get; set; }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        => InterceptionResult<DbDataReader>.SuppressWithResult(Answer());

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(InterceptionResult<DbDataReader>.SuppressWithResult(Answer()));

    private DbDataReader Answer()
    {
        var table = new DataTable();
        table.Columns.Add("Name", typeof(string));
        table.Rows.Add("canned");
        return (DbDataReader)Activator.CreateInstance(ReaderType ?? throw new InvalidOperationException("No reader type."), table)!;
    }
}
