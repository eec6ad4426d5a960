using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace HealthEndpoint.Owin.LoadBench;

/// <summary>
/// The TCP connections a process holds to one port, read from <c>/proc/&lt;pid&gt;/fd</c> and
/// <c>/proc/&lt;pid&gt;/net/tcp{,6}</c>: a connection attempt shows there from its SYN on, whether or not the
/// server (frozen, say) ever answers it.
/// </summary>
internal static class AppConnections
{
    /// <summary>The local ports of <paramref name="processId"/>'s sockets connected (or connecting) to <paramref name="remotePort"/>.</summary>
    public static HashSet<int> LocalPorts(int processId, int remotePort)
    {
        var ports = new HashSet<int>();
        var inodes = SocketInodes(processId);
        foreach (var table in new[] { "tcp", "tcp6" })
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines($"/proc/{processId}/net/{table}");
            }
            catch (IOException)
            {
                continue; // The process is gone, or has no IPv6 table.
            }

            for (var i = 1; i < lines.Length; i++)
            {
                var fields = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && Port(fields[2]) == remotePort && inodes.Contains(fields[9]))
                {
                    ports.Add(Port(fields[1]));
                }
            }
        }

        return ports;
    }

    private static HashSet<string> SocketInodes(int processId)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var descriptor in Directory.EnumerateFiles($"/proc/{processId}/fd"))
            {
                try
                {
                    var target = new FileInfo(descriptor).LinkTarget;
                    if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
                    {
                        inodes.Add(target[8..^1]);
                    }
                }
                catch (IOException)
                {
                    // Closed between the listing and the read.
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The process is gone.
        }

        return inodes;
    }

    // "0100007F:1F90" → 8080.
    private static int Port(string address) =>
        int.Parse(address.AsSpan(address.LastIndexOf(':') + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
