using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace HealthEndpoint.Owin.Testing;

/// <summary>Reads parent/child relations and run states from <c>/proc</c> (Linux).</summary>
internal static class ProcessTree
{
    /// <summary>Every live descendant of <paramref name="rootPid"/> (children, grandchildren, ...), not the root.</summary>
    /// <remarks>
    /// Scans <c>/proc/*/stat</c> for parent ids: <c>/proc/&lt;pid&gt;/task/*/children</c> needs
    /// CONFIG_PROC_CHILDREN, which this kernel does not have.
    /// </remarks>
    public static List<int> Descendants(int rootPid)
    {
        var childrenByParent = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            var stat = ReadStat(pid);
            if (stat is null || stat.Value.State is 'Z' or 'X')
            {
                continue; // Gone, or exited and not yet reaped: nothing left to signal.
            }

            if (!childrenByParent.TryGetValue(stat.Value.ParentPid, out var children))
            {
                children = [];
                childrenByParent[stat.Value.ParentPid] = children;
            }

            children.Add(pid);
        }

        var descendants = new List<int>();
        var pending = new Queue<int>();
        pending.Enqueue(rootPid);
        while (pending.Count > 0)
        {
            if (childrenByParent.TryGetValue(pending.Dequeue(), out var children))
            {
                foreach (var child in children)
                {
                    descendants.Add(child);
                    pending.Enqueue(child);
                }
            }
        }

        return descendants;
    }

    /// <summary>
    /// The one-letter state of a process from <c>/proc/&lt;pid&gt;/stat</c> ('R', 'S', 'T' for stopped,
    /// 'Z' for zombie, ...), or <see langword="null"/> when the process does not exist.
    /// </summary>
    public static char? State(int pid) => ReadStat(pid)?.State;

    /// <summary>Whether the process exists and has not exited (a zombie counts as exited).</summary>
    public static bool IsAlive(int pid) => State(pid) is { } state && state != 'Z' && state != 'X';

    private static (char State, int ParentPid)? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null; // Exited between listing and reading.
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) state ppid ...": comm may contain spaces and parentheses, so parse after the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ', 3);
        return fields.Length >= 2 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent)
            ? (fields[0][0], parent)
            : null;
    }
}
