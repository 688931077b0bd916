using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EfRedisCache.Configuration;

/// <summary>
/// Marks a context's options as cached and carries its <see cref="CacheRuntime"/>, so the invalidator can be
/// found from a context. It registers no services: the interceptors go through EF Core's own interceptor
/// list, and the extension asks for no separate internal service provider.
/// </summary>
internal sealed class RedisCacheAsideOptionsExtension : IDbContextOptionsExtension
{
    private DbContextOptionsExtensionInfo? _info;

    public RedisCacheAsideOptionsExtension(CacheRuntime runtime)
    {
        Runtime = runtime;
    }

    public CacheRuntime Runtime { get; }

    public DbContextOptionsExtensionInfo Info => _info ??= new ExtensionInfo(this);

    public void ApplyServices(IServiceCollection services)
    {
    }

    public void Validate(IDbContextOptions options)
    {
    }

    private sealed class ExtensionInfo(RedisCacheAsideOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        private new RedisCacheAsideOptionsExtension Extension => (RedisCacheAsideOptionsExtension)base.Extension;

        public override bool IsDatabaseProvider => false;

        public override string LogFragment => $"RedisCacheAside(KeyPrefix={Extension.Runtime.Settings.KeyPrefix}) ";

        public override int GetServiceProviderHashCode() => 0;

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo)
            => debugInfo["EfRedisCache:KeyPrefix"] = Extension.Runtime.Settings.KeyPrefix;
    }
}
