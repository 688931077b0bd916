using System.Data.Common;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// Sets every query's SQL to an equal copy and every parameter to an equal, newly boxed value: it touches the command
/// after the cache keyed it but changes nothing the key covers, as an interceptor that normalises values might.
/// </summary>
internal sealed class KeyPreservingRewriteInterceptor : CommandChangingInterceptor
{
    protected override void Change(DbCommand command)
    {
        command.CommandText = new string(command.CommandText.AsSpan());
        foreach (DbParameter parameter in command.Parameters)
        {
            parameter.Value = parameter.Value switch
            {
                long value => (object)(value + 0),
                int value => value + 0,
                string value => new string(value.AsSpan()),
                var other => other,
            };
        }
    }
}
