namespace EfRedisCache.Sql;

/// <summary>
/// A query that reads one row of one table by its primary key: <c>SELECT … FROM t WHERE t.pk = @p [LIMIT n]</c>.
/// Such a query depends on that row's version and the table's bulk epoch only, so saving another row of the
/// table leaves it cached. <see cref="ParameterName"/> or <see cref="Literal"/> gives the key.
/// </summary>
internal sealed record PrimaryKeyLookup(string Table, string? ParameterName, string? Literal);
