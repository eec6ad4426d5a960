using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Testing;

/// <summary>The exit code and the interleaved stdout/stderr of a finished command.</summary>
internal sealed record CommandResult(string CommandText, int ExitCode, string Output)
{
    /// <summary>Throws with the command and its output unless it exited with 0.</summary>
    public CommandResult EnsureSuccess() => ExitCode == 0
        ? this
        : throw new InvalidOperationException($"'{CommandText}' exited with {ExitCode}:{Environment.NewLine}{Output}");
}

/// <summary>Runs short-lived commands (initdb, pg_ctl, chown) to completion with a deadline.</summary>
internal static class CommandLine
{
    private const string ServiceUser = "postgres";

    /// <summary>
    /// Runs <paramref name="fileName"/> as the <c>postgres</c> user when this process is root (initdb and the
    /// postmaster refuse to run as root), otherwise as the current user.
    /// </summary>
    public static Task<CommandResult> RunAsPostgresUserAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return RunAsync(fileName, arguments, timeout);
        }

        // runuser: measured 1.03 s per full cluster cycle against 1.16 s for setpriv (machine-findings §4).
        var runUser = File.Exists("/usr/sbin/runuser") ? "/usr/sbin/runuser" : "runuser";
        return RunAsync(runUser, ["-u", ServiceUser, "--", fileName, .. arguments], timeout);
    }

    /// <summary>Makes <paramref name="path"/> (recursively) owned by the <c>postgres</c> user when running as root.</summary>
    public static async Task GiveToPostgresUserAsync(string path)
    {
        if (Environment.IsPrivilegedProcess)
        {
            (await RunAsync("chown", ["-R", $"{ServiceUser}:{ServiceUser}", path], TimeSpan.FromSeconds(10)))
                .EnsureSuccess();
        }
    }

    /// <summary>Runs a command, collecting its output; kills it and throws <see cref="TimeoutException"/> at the deadline.</summary>
    public static async Task<CommandResult> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        await using var process = ProgramProcess.Start(new ProgramCommand(fileName, [.. arguments]));

        // Also waits for EOF on stdout/stderr; pg_ctl hands the postmaster /dev/null and its log file, not our pipes.
        await process.WaitForExitAsync(timeout);
        return new CommandResult(process.CommandText, process.ExitCode, process.Output);
    }
}
