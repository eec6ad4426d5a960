using System.ComponentModel;
using System.Runtime.InteropServices;

namespace HealthEndpoint.Owin.Testing;

/// <summary>Sends POSIX signals with <c>kill(2)</c>; .NET itself can only send SIGKILL.</summary>
public static class PosixSignal
{
    // Linux numbering (x86-64 and arm64); the fixtures only run on Linux.

    /// <summary>SIGKILL: ends the process at once.</summary>
    public const int Kill = 9;

    /// <summary>SIGTERM: asks the process to shut down.</summary>
    public const int Terminate = 15;

    /// <summary>SIGCONT: resumes a stopped process.</summary>
    public const int Continue = 18;

    /// <summary>SIGSTOP: stops (freezes) the process; it cannot be caught.</summary>
    public const int Stop = 19;

    private const int NoSuchProcess = 3; // ESRCH

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; returns false when the process is gone.</summary>
    /// <exception cref="Win32Exception">kill(2) failed for another reason (e.g. EPERM).</exception>
    public static bool TrySend(int pid, int signal)
    {
        if (NativeMethods.Kill(pid, signal) == 0)
        {
            return true;
        }

        var error = Marshal.GetLastPInvokeError();
        return error == NoSuchProcess
            ? false
            : throw new Win32Exception(error, $"kill({pid}, {signal}) failed");
    }

    private static class NativeMethods
    {
        // DllImport rather than LibraryImport: the generated stub would need AllowUnsafeBlocks for two ints.
        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        internal static extern int Kill(int pid, int signal);
    }
}
