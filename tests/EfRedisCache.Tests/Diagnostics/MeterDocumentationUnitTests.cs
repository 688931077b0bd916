using System.Diagnostics.Metrics;
using System.Xml.Linq;
using EfRedisCache.Diagnostics;

namespace EfRedisCache.Tests.Diagnostics;

/// <summary>
/// <see cref="RedisCacheAsideDiagnostics.MeterName"/>'s documentation is where a user of the package (IntelliSense, the
/// XML file shipped beside the assembly) learns which counters to watch: it must name every one the meter has.
/// </summary>
public sealed class MeterDocumentationUnitTests
{
    [Fact]
    public void The_MeterName_documentation_names_every_counter_of_the_meter()
    {
        _ = CacheMetrics.Hits; // the counters are created with the class
        var names = new List<string>();
        using (var listener = new MeterListener())
        {
            listener.InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == RedisCacheAsideDiagnostics.MeterName)
                {
                    names.Add(instrument.Name);
                }
            };
            listener.Start();
        }

        var xml = XDocument.Load(Path.ChangeExtension(typeof(RedisCacheAsideDiagnostics).Assembly.Location, ".xml"));
        var summary = xml.Descendants("member")
            .Single(m => (string?)m.Attribute("name") == $"F:{typeof(RedisCacheAsideDiagnostics).FullName}.{nameof(RedisCacheAsideDiagnostics.MeterName)}")
            .Element("summary")!.Value;

        Assert.NotEmpty(names);
        Assert.All(names, name => Assert.Contains(name, summary, StringComparison.Ordinal));
    }
}
