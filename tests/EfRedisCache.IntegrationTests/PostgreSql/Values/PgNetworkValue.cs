using System.Collections;
using System.Net;
using System.Net.NetworkInformation;

namespace EfRedisCache.IntegrationTests.PostgreSql.Values;

/// <summary>PostgreSQL values the cache's codec does not encode: network addresses, bit strings, enum arrays, <c>hstore</c>.</summary>
public class PgNetworkValue
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    public IPAddress? Address { get; set; }

    public PhysicalAddress? Mac { get; set; }

    public IPNetwork? Network { get; set; }

    public BitArray? Bits { get; set; }

    public PgMood[] Moods { get; set; } = [];

    public Dictionary<string, string> Attributes { get; set; } = [];
}
