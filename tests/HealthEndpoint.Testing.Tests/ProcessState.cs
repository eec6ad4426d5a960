using System;
using System.IO;

namespace HealthEndpoint.Owin.Testing.Tests;

/// <summary>Reads a process's run state from /proc, independently of the fixtures' own code.</summary>
internal static class ProcessState
{
    /// <summary>'T' when stopped by a signal, 'Z' for a zombie, '?' when the process is gone.</summary>
    public static char Of(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2];
        }
        catch (IOException)
        {
            return '?';
        }
    }

    /// <summary>Whether the process still runs (is neither gone nor a zombie).</summary>
    public static bool IsAlive(int pid) => Of(pid) is not ('?' or 'Z' or 'X');
}
