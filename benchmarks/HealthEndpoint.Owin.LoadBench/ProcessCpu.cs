using System;
using System.Diagnostics;

namespace HealthEndpoint.Owin.LoadBench;

/// <summary>Reads a process's CPU time (user + system) so that rounds can report server CPU per request.</summary>
internal static class ProcessCpu
{
    public static TimeSpan Read(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return process.TotalProcessorTime;
        }
        catch (ArgumentException)
        {
            return TimeSpan.Zero; // The process is gone; the round reports no CPU figure.
        }
    }

    /// <summary>CPU milliseconds per 1,000 requests between two readings, or null when nothing was served.</summary>
    public static double? PerThousand(TimeSpan before, TimeSpan after, long requests) =>
        requests <= 0 || after <= before ? null : (after - before).TotalMilliseconds * 1000 / requests;
}
