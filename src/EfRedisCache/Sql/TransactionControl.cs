namespace EfRedisCache.Sql;

/// <summary>
/// What a command's raw SQL does to the connection's transaction, as seen after the whole command ran: EF Core
/// sees none of it, so the cache must (<see cref="Invalidation.RawSqlTransactions"/>).
/// </summary>
internal enum TransactionControl
{
    /// <summary>No transaction statement.</summary>
    None,

    /// <summary>A transaction is open afterwards (<c>BEGIN</c>, <c>START TRANSACTION</c>, <c>SAVEPOINT</c>).</summary>
    Begin,

    /// <summary>
    /// Writes may have committed, yet a transaction may still be open (<c>RELEASE</c>, which commits in SQLite
    /// when its savepoint began the transaction; <c>COMMIT AND CHAIN</c>; <c>COMMIT; BEGIN</c>).
    /// </summary>
    Checkpoint,

    /// <summary>No transaction is open afterwards (<c>COMMIT</c>, <c>END</c>, <c>ROLLBACK</c>, <c>ABORT</c>).</summary>
    End,
}
