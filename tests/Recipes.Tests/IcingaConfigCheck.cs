using System;
using System.IO;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace Recipes.Tests;

/// <summary>
/// Debian's <c>icinga2 daemon -C</c>: compiles and validates a configuration, then exits; it starts no daemon.
/// Every path Icinga writes or reads besides the ITL (<c>/usr/share/icinga2/include</c>) is in a temp folder, so the
/// system's <c>/etc/icinga2</c> and <c>/var/*/icinga2</c> are neither read nor written (checked with strace on 2.13.6).
/// </summary>
internal static class IcingaConfigCheck
{
    public const string Binary = "/usr/sbin/icinga2";

    // The ITL's plugin commands need PluginDir (Debian's constants.conf defines it); the recipes' own objects
    // follow, with a host for their apply rules to match.
    private const string Prelude = """
        const PluginDir = "/usr/lib/nagios/plugins"
        include <itl>
        include <plugins>

        """;

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>Validates <see cref="Prelude"/> + <paramref name="config"/>; returns the exit code, the output and whether the vars file landed in the temp cache.</summary>
    public static async Task<IcingaCheckResult> ValidateAsync(string config)
    {
        var root = Directory.CreateTempSubdirectory("healthendpoint-icinga-").FullName;
        try
        {
            string Folder(string name) => Directory.CreateDirectory(Path.Combine(root, name)).FullName;
            var file = Path.Combine(root, "icinga2.conf");
            await File.WriteAllTextAsync(file, Prelude + config);

            // As root, icinga2 drops to RunAsUser (Debian: nagios), which cannot read a private temp folder.
            var user = Environment.IsPrivilegedProcess ? "root" : Environment.UserName;
            var cache = Folder("cache");
            var command = new ProgramCommand(Binary,
            [
                "daemon", "-C", "-c", file,
                "-DRunAsUser=" + user, "-DRunAsGroup=" + (Environment.IsPrivilegedProcess ? "root" : await PrimaryGroupAsync()),
                "-DCacheDir=" + cache, "-DDataDir=" + Folder("lib"), "-DLogDir=" + Folder("log"),
                "-DInitRunDir=" + Folder("run"), "-DSpoolDir=" + Folder("spool"), "-DZonesDir=" + Folder("zones.d"),
            ]);
            await using var process = ProgramProcess.Start(command);
            await process.WaitForExitAsync(Deadline);
            return new IcingaCheckResult(process.ExitCode, process.StandardOutput + process.StandardError, File.Exists(Path.Combine(cache, "icinga2.vars")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<string> PrimaryGroupAsync()
    {
        await using var id = ProgramProcess.Start(new ProgramCommand("id", ["-gn"]));
        await id.WaitForExitAsync(TimeSpan.FromSeconds(10));
        return id.StandardOutput.Trim();
    }
}

/// <summary>The outcome of one <c>icinga2 daemon -C</c>.</summary>
/// <param name="ExitCode">0 when the configuration is valid.</param>
/// <param name="Output">Icinga's log lines (stdout and stderr).</param>
/// <param name="WroteTempCache">Whether <c>icinga2.vars</c> was written to the temp <c>CacheDir</c> (not <c>/var/cache/icinga2</c>).</param>
internal sealed record IcingaCheckResult(int ExitCode, string Output, bool WroteTempCache)
{
    /// <summary>The count in Icinga's <c>Instantiated N {type}</c> line, or 0 when there is none.</summary>
    public int Instantiated(string type)
    {
        var match = System.Text.RegularExpressions.Regex.Match(Output, $@"Instantiated (\d+) {type}\.");
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }
}
