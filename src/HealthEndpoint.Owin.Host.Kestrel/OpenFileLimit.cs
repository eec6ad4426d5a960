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
    /// <summary>The fewest descriptors kept free for what the process opens after the server starts.</summary>
    public const long MinimumReserve = 256;

    /// <summary>The smallest cap: below it the server could hardly serve, and the limit must be raised anyway.</summary>
    public const long MinimumCap = 16;

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
    /// The connection cap for an open-file limit: what is left below the limit after the descriptors already open and
    /// a reserve of an eighth of the limit, at least <see cref="MinimumReserve"/>, for what the process opens later;
    /// never below <see cref="MinimumCap"/>. Null when there is no limit.
    /// </summary>
    /// <remarks>
    /// Measured: LegacyApp holds 140 descriptors once started and 162 after its first requests (.NET keeps two per
    /// loaded assembly), so a cap that ignores them (1,024 less an eighth = 896) still let 1,100 held connections
    /// exhaust the table. The reserve covers assemblies loaded later, database and Redis connections (Npgsql pools up
    /// to 100 by default), and log files.
    /// </remarks>
    public static long? ConnectionCap(long? openFileLimit, long openAlready)
    {
        if (openFileLimit is not long limit)
        {
            return null;
        }

        var reserve = Math.Max(MinimumReserve, limit / 8);
        return Math.Max(MinimumCap, limit - openAlready - reserve);
    }

    /// <summary>How many descriptors the process has open now (Linux <c>/proc/self/fd</c>, macOS <c>/dev/fd</c>); 0 when unknown.</summary>
    public static long CountOpen()
    {
        foreach (var directory in new[] { "/proc/self/fd", "/dev/fd" })
        {
            try
            {
                if (System.IO.Directory.Exists(directory))
                {
                    return System.IO.Directory.GetFileSystemEntries(directory).Length;
                }
            }
            catch (Exception exception) when (exception is System.IO.IOException or UnauthorizedAccessException)
            {
                return 0;
            }
        }

        return 0;
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
