using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// Registers <c>order_quantity(orderId)</c> on every connection it opens: a user function the model does not map, which
/// reads the <c>OrderLines</c> table on the same connection (SQLite lets a function run a query while the calling one
/// steps, outside a transaction of its own).
/// </summary>
internal sealed class UnmappedSqliteFunction : DbConnectionInterceptor
{
    private UnmappedSqliteFunction()
    {
    }

    /// <summary>One instance, so every context the tests build shares EF Core's service provider.</summary>
    public static UnmappedSqliteFunction Instance { get; } = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        => Register((SqliteConnection)connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Register((SqliteConnection)connection);
        return Task.CompletedTask;
    }

    private static void Register(SqliteConnection connection)
        => connection.CreateFunction("order_quantity", (long orderId) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT coalesce(sum(\"Quantity\"), 0) FROM \"OrderLines\" WHERE \"OrderId\" = $id";
            command.Parameters.AddWithValue("$id", orderId);
            return (long)command.ExecuteScalar()!;
        });
}
