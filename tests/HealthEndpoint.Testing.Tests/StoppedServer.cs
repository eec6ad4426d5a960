using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Testing.Tests;

/// <summary>What a fixture's stop must leave behind, checked from outside the fixture.</summary>
internal static class StoppedServer
{
    /// <summary>The port refuses TCP connections, the old process is gone, and the fixture reports no PID.</summary>
    public static async Task AssertGoneAsync(int port, int oldPid, int currentPid)
    {
        using var client = new TcpClient();
        var error = await Capture.ExceptionAsync(() => client.ConnectAsync(IPAddress.Loopback, port));
        Assert.Multiple(() =>
        {
            Assert.That(error, Is.InstanceOf<SocketException>()
                .With.Property(nameof(SocketException.SocketErrorCode)).EqualTo(SocketError.ConnectionRefused));
            Assert.That(ProcessState.IsAlive(oldPid), Is.False);
            Assert.That(currentPid, Is.Zero);
        });
    }
}
