namespace EfRedisCache.Storage;

/// <summary>
/// A column as the provider described it: <see cref="System.Data.Common.DbDataReader.GetName"/>,
/// <see cref="System.Data.Common.DbDataReader.GetDataTypeName"/> and
/// <see cref="System.Data.Common.DbDataReader.GetFieldType"/>.
/// </summary>
internal readonly record struct CachedColumn(string Name, string DataTypeName, Type FieldType);
