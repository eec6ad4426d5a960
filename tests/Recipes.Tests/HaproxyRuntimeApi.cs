using System;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;

namespace Recipes.Tests;

/// <summary>HAProxy's own view of its servers, read from the stats socket (its runtime API).</summary>
internal static class HaproxyRuntimeApi
{
    /// <summary>The <c>status</c> column of <c>show stat</c> for one server (<c>UP</c>, <c>DOWN</c>, <c>UP 1/2</c>, …).</summary>
    public static async Task<string> ServerStatusAsync(string socketPath, string backend, string server)
    {
        var csv = await SendAsync(socketPath, "show stat");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].TrimStart('#', ' ').Split(',');
        var status = Array.IndexOf(header, "status");
        var row = lines.Skip(1).Select(line => line.Split(',')).FirstOrDefault(fields => fields[0] == backend && fields[1] == server)
            ?? throw new InvalidOperationException($"No {backend}/{server} in show stat:{Environment.NewLine}{csv}");
        return row[status];
    }

    /// <summary>Sends one command and reads the answer until HAProxy closes the connection.</summary>
    public static async Task<string> SendAsync(string socketPath, string command)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\n"));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadToEndAsync();
    }
}
