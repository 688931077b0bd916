using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql;

public class SurveyContext(DbContextOptions<SurveyContext> options) : DbContext(options)
{
    public DbSet<Survey> Surveys => Set<Survey>();
}
