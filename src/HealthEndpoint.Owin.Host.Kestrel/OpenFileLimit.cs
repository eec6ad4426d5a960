using System;
using System.Runtime.InteropServices;

namespace Owin.HealthEndpoint.Hosting.Kestrel;

/// <summary>The process's open-file limit (RLIMIT_NOFILE), and the connection cap that leaves room below it.</summary>
/// <remarks>
/// Measured (issue 10): with <c>ulimit -n 1024</c>, 1,100 held connections abort a Kestrel app with default limits
/// (4 of 4): once accept() fails with EMFILE, the database, log files and the runtime itself cannot open anything
/// either. Capping connections below the limit keeps descriptors for the rest of the process.
/// </remarks>
internal static class OpenFileLimit
{
    /// <summary>The smallest headroom kept for files, database and Redis connections, pipes and the runtime.</summary>
    public const long MinimumHeadroom = 128;

    private const int LinuxResourceNoFile = 7;
    private const int BsdResourceNoFile = 8;

    /// <summary>The soft open-file limit; null on Windows (no such limit), on 32-bit processes, or when unlimited.</summary>
    public static long? Read()
    {
        if (OperatingSystem.IsWindows() || !Environment.Is64BitProcess)
        {
            return null;
        }

        var resource = OperatingSystem.IsLinux() ? LinuxResourceNoFile : BsdResourceNoFile;
        try
        {
            if (NativeMethods.getrlimit(resource, out var limit) != 0 || limit.Current > long.MaxValue)
            {
                return null;
            }

            return (long)limit.Current;
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// The connection cap for a given open-file limit: the limit less an eighth of it, and never less than
    /// <see cref="MinimumHeadroom"/> below it (1,024 → 896; 20,000 → 17,500); null when there is no limit.
    /// </summary>
    public static long? ConnectionCap(long? openFileLimit)
    {
        if (openFileLimit is not long limit)
        {
            return null;
        }

        var headroom = Math.Max(MinimumHeadroom, limit / 8);
        return Math.Max(16, limit - headroom);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ResourceLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    private static class NativeMethods
    {
        // rlim_t is 64 bits on every 64-bit Unix .NET runs on (Linux, macOS, FreeBSD).
        [DllImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int getrlimit(int resource, out ResourceLimit limit);
    }
}
