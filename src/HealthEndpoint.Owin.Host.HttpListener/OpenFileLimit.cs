using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Owin.HealthEndpoint.Hosting;

/// <summary>The process's open-file limit (RLIMIT_NOFILE) and how many descriptors it has open.</summary>
/// <remarks>The same rule as the Kestrel host's connection cap, so both hosts keep the same headroom.</remarks>
internal static class OpenFileLimit
{
    /// <summary>The fewest descriptors kept free for what the process opens after the server starts.</summary>
    public const long MinimumReserve = 256;

    /// <summary>The request bound where there is no open-file limit to derive it from (Windows).</summary>
    public const int FallbackRequestCap = 1024;

    private const int LinuxResourceNoFile = 7;
    private const int BsdResourceNoFile = 8;

    /// <summary>The soft open-file limit; null on Windows, on 32-bit processes, or when unlimited.</summary>
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
    /// The requests a host may hold at once for an open-file limit: what is left below the limit after the
    /// descriptors already open and a reserve of an eighth of the limit, at least <see cref="MinimumReserve"/>
    /// (the Kestrel host's connection cap, by the same rule); never below 16; <see cref="FallbackRequestCap"/>
    /// without a limit.
    /// </summary>
    public static int RequestCap(long? openFileLimit, long openAlready)
    {
        if (openFileLimit is not long limit)
        {
            return FallbackRequestCap;
        }

        var cap = Math.Max(16, limit - openAlready - Math.Max(MinimumReserve, limit / 8));
        return (int)Math.Min(cap, 1 << 20);
    }

    /// <summary>How many descriptors the process has open (Linux, from /proc/self/fd); null elsewhere.</summary>
    public static int? CountOpen()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            var count = 0;
            foreach (var _ in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
            {
                count++;
            }

            return count;
        }
        catch (IOException)
        {
            // EMFILE itself: opening the directory needs a descriptor, so this fails exactly at the limit.
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
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
