using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;

namespace HealthEndpoint.Owin.Testing;

/// <summary>Stops a process (and optionally its descendants) with SIGSTOP and resumes it with SIGCONT.</summary>
internal static class ProcessFreezer
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Sends SIGSTOP to <paramref name="rootPid"/> and, when asked, to every descendant, and returns only once
    /// /proc shows all of them stopped ('T'); returns the PIDs it stopped, root first.
    /// </summary>
    /// <remarks>
    /// kill(2) returns before the target stops: a busy process shows 'R' for a moment, and the root may still fork
    /// a child before it stops, so this rescans until the tree is complete and every member is stopped.
    /// </remarks>
    /// <exception cref="TimeoutException">Not everything stopped within 5 s.</exception>
    public static List<int> Freeze(int rootPid, bool includeDescendants)
    {
        var frozen = new List<int>();
        if (PosixSignal.TrySend(rootPid, PosixSignal.Stop))
        {
            frozen.Add(rootPid);
        }

        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            var newcomers = includeDescendants
                ? ProcessTree.Descendants(rootPid).Where(pid => !frozen.Contains(pid)).ToList()
                : [];
            foreach (var pid in newcomers)
            {
                if (PosixSignal.TrySend(pid, PosixSignal.Stop))
                {
                    frozen.Add(pid);
                }
            }

            var running = frozen.Where(pid => ProcessTree.State(pid) is { } state && state is not ('T' or 'Z' or 'X')).ToList();
            if (newcomers.Count == 0 && running.Count == 0)
            {
                return frozen;
            }

            if (elapsed.Elapsed > StopTimeout)
            {
                Thaw(frozen);
                throw new TimeoutException($"Processes {string.Join(", ", running)} did not stop within {StopTimeout.TotalSeconds} s.");
            }

            Thread.Sleep(1);
        }
    }

    /// <summary>Sends SIGCONT to each PID, last first (children before their parent); gone processes are skipped.</summary>
    public static void Thaw(IReadOnlyList<int> pids)
    {
        for (var index = pids.Count - 1; index >= 0; index--)
        {
            PosixSignal.TrySend(pids[index], PosixSignal.Continue);
        }
    }
}
