using System;
using System.IO;
using System.Runtime.InteropServices;

namespace HealthEndpoint.Owin.Hosting.Core;

/// <summary>
/// The process's open-file limit (RLIMIT_NOFILE), how many descriptors it has open, and the cap on connections or
/// requests that leaves room below it. Compiled into both hosts, so they keep the same headroom.
/// </summary>
/// <remarks>
/// Held connections past the limit abort an app with default limits: once accept() fails with EMFILE, the database,
/// log files and the runtime itself cannot open anything either. Capping connections below the limit keeps
/// descriptors for the rest of the process.
/// </remarks>
internal static class OpenFileLimit
{
    /// <summary>The fewest descriptors kept free for what the process opens after the server starts.</summary>
    public const long MinimumReserve = 256;

    /// <summary>The smallest cap: below it the server could hardly serve, and the limit must be raised anyway.</summary>
    public const long MinimumCap = 16;

    /// <summary>The request bound where there is no open-file limit to derive it from (Windows).</summary>
    public const int FallbackRequestCap = 1024;

    private const int LinuxResourceNoFile = 7;
    private const int BsdResourceNoFile = 8;

    /// <summary>The soft open-file limit; null on Windows (no such limit), on 32-bit processes, or when unlimited.</summary>
    public static long? Read()
    {
        if (OperatingSystem.IsWindows() || !Environment.Is64BitProcess)
        {
            return null;
        }

        try
        {
            var resource = OperatingSystem.IsLinux() ? LinuxResourceNoFile : BsdResourceNoFile;
            return NativeMethods.getrlimit(resource, out var limit) == 0 && limit.Current <= long.MaxValue ? (long)limit.Current : null;
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
    /// An app holds descriptors of its own before it serves (.NET keeps two per loaded assembly), so a cap that
    /// ignored them would still let held connections exhaust the table. The reserve covers assemblies loaded later,
    /// database and Redis connections (Npgsql pools up to 100 by default), and log files.
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

    /// <summary>
    /// The requests a host may hold at once: <see cref="ConnectionCap"/>, or <see cref="FallbackRequestCap"/> without
    /// a limit.
    /// </summary>
    public static int RequestCap(long? openFileLimit, long openAlready) =>
        ConnectionCap(openFileLimit, openAlready) is long cap ? (int)Math.Min(cap, 1 << 20) : FallbackRequestCap;

    /// <summary>How many descriptors the process has open (Linux <c>/proc/self/fd</c>, macOS <c>/dev/fd</c>); null when unknown.</summary>
    public static int? CountOpen()
    {
        foreach (var directory in new[] { "/proc/self/fd", "/dev/fd" })
        {
            try
            {
                if (Directory.Exists(directory))
                {
                    var count = 0;
                    foreach (var _ in Directory.EnumerateFileSystemEntries(directory))
                    {
                        count++;
                    }

                    return count;
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // EMFILE itself: opening the directory needs a descriptor, so this fails exactly at the limit.
                return null;
            }
        }

        return null;
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
