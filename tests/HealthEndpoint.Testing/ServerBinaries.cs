using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace HealthEndpoint.Owin.Testing;

/// <summary>Finds the PostgreSQL, Redis and MariaDB server executables the fixtures start.</summary>
/// <remarks>Looked up on first use and cached; a missing binary fails with the command that installs it.</remarks>
public static class ServerBinaries
{
    /// <summary>The command that installs every server binary the fixtures need (Debian/Ubuntu, as root).</summary>
    public const string InstallCommand = "apt-get install -y postgresql redis-server mariadb-server";

    private const string PostgresRoot = "/usr/lib/postgresql";

    private static readonly Lazy<string> PostgresBin = new(FindPostgresBinDirectory);
    private static readonly Lazy<string> RedisServer = new(FindRedisServer);
    private static readonly Lazy<string> MariaDbServer = new(() => FindOnPath("mariadbd", "/usr/sbin"));
    private static readonly Lazy<string> MariaDbInstall = new(() => FindOnPath("mariadb-install-db", "/usr/bin"));

    /// <summary>The newest <c>/usr/lib/postgresql/&lt;version&gt;/bin</c> that contains <c>initdb</c> and <c>pg_ctl</c>.</summary>
    /// <exception cref="InvalidOperationException">No such directory exists.</exception>
    public static string PostgresBinDirectory => PostgresBin.Value;

    /// <summary>Full path of <c>initdb</c>.</summary>
    public static string InitDb => Path.Combine(PostgresBinDirectory, "initdb");

    /// <summary>Full path of <c>pg_ctl</c>.</summary>
    public static string PgCtl => Path.Combine(PostgresBinDirectory, "pg_ctl");

    /// <summary>Full path of <c>pg_basebackup</c> (same directory, same Debian package as <c>pg_ctl</c>).</summary>
    public static string PgBaseBackup => Path.Combine(PostgresBinDirectory, "pg_basebackup");

    /// <summary>Full path of <c>redis-server</c>, from <c>PATH</c> or <c>/usr/bin</c>.</summary>
    /// <exception cref="InvalidOperationException">It is not installed.</exception>
    public static string RedisServerPath => RedisServer.Value;

    /// <summary>Full path of <c>mariadbd</c> (Debian's <c>mariadb-server</c>), from <c>PATH</c> or <c>/usr/sbin</c>.</summary>
    /// <exception cref="InvalidOperationException">It is not installed.</exception>
    public static string MariaDbServerPath => MariaDbServer.Value;

    /// <summary>Full path of <c>mariadb-install-db</c> (same Debian package as <c>mariadbd</c>).</summary>
    /// <exception cref="InvalidOperationException">It is not installed.</exception>
    public static string MariaDbInstallDb => MariaDbInstall.Value;

    private static string FindPostgresBinDirectory()
    {
        var candidates = Directory.Exists(PostgresRoot)
            ? Directory.GetDirectories(PostgresRoot)
                .Select(versionDirectory => new
                {
                    Version = ParseVersion(Path.GetFileName(versionDirectory)),
                    Bin = Path.Combine(versionDirectory, "bin"),
                })
                .Where(candidate => File.Exists(Path.Combine(candidate.Bin, "initdb"))
                    && File.Exists(Path.Combine(candidate.Bin, "pg_ctl")))
                .OrderByDescending(candidate => candidate.Version)
                .ToList()
            : [];

        return candidates.Count > 0
            ? candidates[0].Bin
            : throw Missing($"PostgreSQL server binaries (initdb, pg_ctl under {PostgresRoot}/<version>/bin)");
    }

    private static string FindRedisServer() => FindOnPath("redis-server", "/usr/bin");

    /// <summary><paramref name="name"/> on <c>PATH</c>, else in <paramref name="usualDirectory"/> or /usr/local/bin.</summary>
    private static string FindOnPath(string name, string usualDirectory)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(usualDirectory)
            .Append("/usr/local/bin")
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists)
            ?? throw Missing($"{name} (searched PATH and {usualDirectory})");
    }

    private static Version ParseVersion(string name)
    {
        // Debian names the directories "15", "16", older ones "9.6".
        if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var major))
        {
            return new Version(major, 0);
        }

        return Version.TryParse(name, out var version) ? version : new Version(0, 0);
    }

    private static InvalidOperationException Missing(string what) =>
        new($"{what} not found. Install them with: {InstallCommand}");
}
