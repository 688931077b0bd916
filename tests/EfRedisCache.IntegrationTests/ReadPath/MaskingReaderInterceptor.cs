using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// Replaces every reader EF Core gets with a copy whose text values end in <c>*</c>, as a masking or decrypting
/// interceptor transforms what the database returned in <c>ReaderExecuted</c>. Not idempotent on purpose: a reader
/// transformed twice shows <c>**</c>.
/// </summary>
internal sealed class MaskingReaderInterceptor : DbCommandInterceptor
{
    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
        => Mask(result);

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        => ValueTask.FromResult<DbDataReader>(Mask(result));

    private static DataTableReader Mask(DbDataReader result)
    {
        var table = new DataTable();
        using (result)
        {
            table.Load(result);
        }

        foreach (DataRow row in table.Rows)
        {
            foreach (DataColumn column in table.Columns)
            {
                if (row[column] is string text)
                {
                    row[column] = text + "*";
                }
            }
        }

        return table.CreateDataReader();
    }
}
