namespace EfRedisCache.Storage;

/// <summary>
/// A SQLite REAL the recording reader took with <c>GetValue</c> (EF Core skipped the cell), kept with SQLite's own
/// text of it because <see cref="SqliteNumberText.Of"/> would write other digits. Microsoft.Data.Sqlite reads a
/// REAL as a string or a decimal by parsing that text, and SQLite's digits are its own (up to 17, rounded by its own
/// arithmetic), so a hit can only give them back by keeping them. Read as anything else, the cell is the double.
/// </summary>
internal sealed class RealWithText(double value, string text)
{
    public double Value { get; } = value;

    public string Text { get; } = text;
}
