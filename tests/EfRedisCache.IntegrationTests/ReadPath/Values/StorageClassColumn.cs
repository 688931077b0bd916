using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>
/// One column of <see cref="StorageClassCell"/>: its name, its property, and (for the types <c>SqlQuery</c> reads) the
/// scalar query of it as the non-nullable type, described as <see cref="StorageClassDifferentialTests"/> compares them.
/// </summary>
internal sealed record StorageClassColumn(
    string Name,
    Func<StorageClassCell, object?> Property,
    Func<DbContext, int, bool, Task<object?>>? ScalarQuery);
