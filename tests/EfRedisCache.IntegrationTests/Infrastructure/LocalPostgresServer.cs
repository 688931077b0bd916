using System.Diagnostics;
using System.Globalization;

namespace EfRedisCache.IntegrationTests.Infrastructure;

/// <summary>
/// A throw-away PostgreSQL cluster: <c>initdb</c> in a private temporary directory, <c>postgres</c> on a free
/// loopback port (its socket in that directory too), trust authentication for the <c>postgres</c> user,
/// fsync off. Stopped and deleted on <see cref="Dispose"/> and at process exit. Run as root, it runs the
/// server as the <c>postgres</c> user (through <c>runuser</c>), since PostgreSQL refuses to run as root.
/// </summary>
internal sealed class LocalPostgresServer : IDisposable
{
    private static readonly string[] InstallRoots = ["/usr/lib/postgresql", "/usr/local/lib/postgresql"];
    private readonly string _binDirectory;
    private readonly string _directory;
    private readonly bool _asPostgresUser;
    private bool _disposed;

    private LocalPostgresServer(string binDirectory, int port)
    {
        _binDirectory = binDirectory;
        Port = port;
        _directory = Directory.CreateTempSubdirectory("efrc-pg-").FullName;
        _asPostgresUser = Environment.UserName == "root";
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    public int Port { get; }

    /// <summary>An Npgsql connection string for <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true";

    /// <summary>
    /// The directory holding <c>initdb</c>, <c>pg_ctl</c> and <c>postgres</c>: the newest under Debian's
    /// <c>/usr/lib/postgresql/N/bin</c>, else the PATH.
    /// </summary>
    /// <returns>The directory, or <see langword="null"/> when PostgreSQL is not installed.</returns>
    public static string? FindBinDirectory()
    {
        var versioned = InstallRoots
            .Where(Directory.Exists)
            .SelectMany(Directory.GetDirectories)
            .Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb")))
            .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
            .FirstOrDefault();
        return versioned ?? (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    /// <summary>Creates a cluster and starts it on a free loopback port; returns when it accepts connections.</summary>
    /// <exception cref="InvalidOperationException">initdb or the server failed; the message holds their output.</exception>
    public static LocalPostgresServer StartNew(string binDirectory)
    {
        var server = new LocalPostgresServer(binDirectory, LocalRedisServer.FreeLoopbackPort());
        try
        {
            server.Start();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        if (File.Exists(Path.Combine(_directory, "data", "postmaster.pid")))
        {
            Run("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-t", "30", "stop"], throwOnFailure: false);
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temp directory is not worth failing a test run for.
        }
    }

    private string DataDirectory => Path.Combine(_directory, "data");

    private void Start()
    {
        if (_asPostgresUser)
        {
            Run("chown", ["postgres:", _directory], throwOnFailure: true, asPostgres: false);
        }

        Run("initdb", ["-D", DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"], throwOnFailure: true);
        var settings = string.Join(' ',
            "-c listen_addresses=127.0.0.1",
            $"-p {Port.ToString(CultureInfo.InvariantCulture)}",
            $"-k {_directory}",
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
            "-c max_prepared_transactions=20"); // PostgreSqlPreparedTransactionTests: two-phase commit
        Run("pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60", "-o", settings, "start"], throwOnFailure: true);
    }

    private void Run(string tool, IReadOnlyList<string> arguments, bool throwOnFailure, bool asPostgres = true)
    {
        var path = tool == "chown" ? "chown" : Path.Combine(_binDirectory, tool);
        var info = asPostgres && _asPostgresUser
            ? new ProcessStartInfo("runuser") { ArgumentList = { "-u", "postgres", "--", path } }
            : new ProcessStartInfo(path);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.RedirectStandardOutput = info.RedirectStandardError = true;
        info.UseShellExecute = false;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {path}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(90_000))
        {
            process.Kill(entireProcessTree: true);
        }

        if (throwOnFailure && (!process.HasExited || process.ExitCode != 0))
        {
            var log = Path.Combine(_directory, "server.log");
            var serverLog = File.Exists(log) ? File.ReadAllText(log) : "";
            throw new InvalidOperationException(
                $"{tool} {string.Join(' ', arguments)} failed{(process.HasExited ? $" (exit {process.ExitCode})" : " (timed out)")}:{Environment.NewLine}{output.Result}{error.Result}{serverLog}");
        }
    }

    private void OnProcessExit(object? sender, EventArgs e) => Dispose();
}
