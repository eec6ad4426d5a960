using System.Net;
using System.Net.Sockets;

namespace HealthEndpoint.Owin.Testing;

/// <summary>Hands out loopback TCP ports that were free a moment ago.</summary>
/// <remarks>
/// The port is released before it is returned, so another process can take it in between; the server fixtures
/// therefore retry their start on a new port when the bind fails.
/// </remarks>
public static class FreeTcpPort
{
    /// <summary>Binds 127.0.0.1:0, reads the port the OS picked, releases it and returns it.</summary>
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
