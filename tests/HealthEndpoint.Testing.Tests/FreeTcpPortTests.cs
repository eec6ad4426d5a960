using System.Net;
using System.Net.Sockets;

namespace HealthEndpoint.Owin.Testing.Tests;

public sealed class FreeTcpPortTests
{
    [Test]
    public void Next_Always_ReturnsABindableLoopbackPort()
    {
        var port = FreeTcpPort.Next();

        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        listener.Stop();
        Assert.That(port, Is.InRange(1024, 65535));
    }
}
