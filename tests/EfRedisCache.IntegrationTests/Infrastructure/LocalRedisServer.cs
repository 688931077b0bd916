using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EfRedisCache.IntegrationTests.Infrastructure;

/// <summary>
/// Finds a <c>redis-server</c> executable and runs a throw-away instance of it on a free loopback port:
/// no persistence, a private temporary directory, killed on <see cref="Dispose"/> and at process exit.
/// Dependency-free on purpose: the sample links this file too.
/// </summary>
internal sealed class LocalRedisServer : IDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(10);
    private static readonly string[] WellKnownDirectories = ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"];

    private readonly Lock _gate = new();
    private readonly StringBuilder _output = new();
    private readonly string _directory;
    private readonly IReadOnlyList<string> _extraArguments;
    private readonly string? _sentinelConfiguration;
    private Process? _process;
    private bool _disposed;

    private LocalRedisServer(string executable, int port, IReadOnlyList<string> extraArguments, string? sentinelConfiguration = null)
    {
        Executable = executable;
        Port = port;
        _extraArguments = extraArguments;
        _sentinelConfiguration = sentinelConfiguration;
        _directory = Directory.CreateTempSubdirectory("efrc-redis-").FullName;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>The <c>redis-server</c> executable this instance runs.</summary>
    public string Executable { get; }

    /// <summary>The loopback port; it stays the same across <see cref="Stop"/> and <see cref="Start"/>.</summary>
    public int Port { get; }

    /// <summary>A StackExchange.Redis configuration string for this server.</summary>
    public string Configuration => $"127.0.0.1:{Port},allowAdmin=true";

    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _process is { HasExited: false };
            }
        }
    }

    /// <summary>
    /// The path of <c>redis-server</c>: first on <paramref name="searchPath"/> (default: the PATH variable),
    /// then in the usual install directories unless <paramref name="includeWellKnownDirectories"/> is false.
    /// </summary>
    /// <returns>The executable's path, or <see langword="null"/> when there is none.</returns>
    public static string? FindExecutable(string? searchPath = null, bool includeWellKnownDirectories = true)
    {
        var name = OperatingSystem.IsWindows() ? "redis-server.exe" : "redis-server";
        var directories = (searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(includeWellKnownDirectories ? WellKnownDirectories : []);
        foreach (var directory in directories)
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Starts <paramref name="executable"/> on a free loopback port and waits until it answers PING.</summary>
    /// <param name="executable">The <c>redis-server</c> to run.</param>
    /// <param name="extraArguments">More command-line settings, after the ones that keep the server private and diskless.</param>
    /// <exception cref="InvalidOperationException">The server did not start or did not answer within 10 seconds.</exception>
    public static LocalRedisServer StartNew(string executable, IReadOnlyList<string>? extraArguments = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(executable);

        // A free port can be taken by someone else between the probe and redis-server's bind: retry on a new one.
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            var server = new LocalRedisServer(executable, FreeLoopbackPort(), extraArguments ?? []);
            try
            {
                server.Start();
                return server;
            }
            catch (InvalidOperationException) when (attempt < attempts)
            {
                server.Dispose();
            }
            catch
            {
                server.Dispose();
                throw;
            }
        }
    }

    /// <summary>
    /// Starts a Redis Sentinel on a free loopback port that monitors the primary on <paramref name="primaryPort"/>
    /// as <paramref name="serviceName"/>, alone (quorum 1), and fails it over once it has not answered for
    /// <paramref name="downAfter"/>. Sentinel needs a configuration file it can rewrite: it gets one in the
    /// instance's own directory.
    /// </summary>
    public static LocalRedisServer StartSentinel(string executable, string serviceName, int primaryPort, TimeSpan downAfter)
    {
        ArgumentException.ThrowIfNullOrEmpty(executable);
        var configuration = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"sentinel monitor {serviceName} 127.0.0.1 {primaryPort} 1\nsentinel down-after-milliseconds {serviceName} {(long)downAfter.TotalMilliseconds}\n");
        var sentinel = new LocalRedisServer(executable, FreeLoopbackPort(), [], configuration);
        try
        {
            sentinel.Start();
            return sentinel;
        }
        catch
        {
            sentinel.Dispose();
            throw;
        }
    }

    /// <summary>(Re)starts the server on the same port and waits until it answers PING. Data does not survive a restart.</summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_process is { HasExited: false })
            {
                return;
            }

            _process?.Dispose();
            _output.Clear();
            _process = Process.Start(CreateStartInfo())
                ?? throw new InvalidOperationException($"Could not start {Executable}.");
            _process.OutputDataReceived += (_, e) => Capture(e.Data);
            _process.ErrorDataReceived += (_, e) => Capture(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        WaitUntilReady();
    }

    /// <summary>Kills the server (as a crash would); <see cref="Start()"/> brings it back on the same port.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            Kill(_process);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
            Kill(_process);
            _process?.Dispose();
            _process = null;
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover empty temp directory is not worth failing a test run for.
        }
    }

    /// <summary>True when something on 127.0.0.1:<paramref name="port"/> answers a RESP PING with PONG.</summary>
    public static bool Ping(int port, TimeSpan timeout)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.ReceiveTimeout = socket.SendTimeout = (int)timeout.TotalMilliseconds;
            var connect = socket.BeginConnect(IPAddress.Loopback, port, null, null);
            if (!connect.AsyncWaitHandle.WaitOne(timeout))
            {
                return false;
            }

            socket.EndConnect(connect);
            socket.Send("PING\r\n"u8);
            var buffer = new byte[64];
            var read = socket.Receive(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A loopback port nobody listened on a moment ago.</summary>
    public static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static void Kill(Process? process)
    {
        try
        {
            if (process is { HasExited: false })
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    private ProcessStartInfo CreateStartInfo()
    {
        var info = new ProcessStartInfo(Executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory,
        };

        if (_sentinelConfiguration is not null)
        {
            // The configuration file comes first; Sentinel rewrites it as it learns (kept across restarts).
            var file = Path.Combine(_directory, "sentinel.conf");
            if (!File.Exists(file))
            {
                File.WriteAllText(file, _sentinelConfiguration);
            }

            info.ArgumentList.Add(file);
            info.ArgumentList.Add("--sentinel");
        }
        else
        {
            // A replica's first sync starts at once, not after the 5 s Redis 7 waits for more replicas to join it.
            info.ArgumentList.Add("--repl-diskless-sync-delay");
            info.ArgumentList.Add("0");
        }

        // Loopback only, nothing written to disk, a directory of its own so parallel runs never share files.
        foreach (var argument in new[]
                 {
                     "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--bind", "127.0.0.1",
                     "--save", "",
                     "--appendonly", "no",
                     "--dir", _directory,
                     "--daemonize", "no",
                 }.Concat(_extraArguments))
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    private void WaitUntilReady()
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < ReadyTimeout)
        {
            if (Ping(Port, TimeSpan.FromMilliseconds(500)))
            {
                return;
            }

            lock (_gate)
            {
                if (_process is null or { HasExited: true })
                {
                    break;
                }
            }

            Thread.Sleep(50);
        }

        string output;
        lock (_output)
        {
            output = _output.ToString();
        }

        Stop();
        throw new InvalidOperationException(
            $"{Executable} did not answer PING on 127.0.0.1:{Port} within {ReadyTimeout.TotalSeconds:0} s. Its output:{Environment.NewLine}{output}");
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            // Keep the start-up lines for the error message; a long-running server must not grow this forever.
            if (_output.Length < 16 * 1024)
            {
                _output.AppendLine(line);
            }
        }
    }

    private void OnProcessExit(object? sender, EventArgs e) => Dispose();
}
