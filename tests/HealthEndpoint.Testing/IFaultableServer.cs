using System;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Testing;

/// <summary>The faults a server fixture can put a real server through, for tests that run one body over several servers.</summary>
public interface IFaultableServer : IAsyncDisposable
{
    /// <summary>The loopback TCP port the server listens on; it stays the same across stop/start.</summary>
    int Port { get; }

    /// <summary>Whether the server has been started and not stopped since.</summary>
    bool IsRunning { get; }

    /// <summary>Stops the server (thawing it first); clients are disconnected.</summary>
    Task StopAsync();

    /// <summary>Starts the stopped server again on the same port; returns once it answers.</summary>
    Task StartAgainAsync();

    /// <summary>Stops and starts the server; pooled client connections become stale.</summary>
    Task RestartAsync();

    /// <summary>SIGSTOP: the port still accepts TCP connections, but nothing answers.</summary>
    void Freeze();

    /// <summary>SIGCONT; harmless when nothing is frozen.</summary>
    void Thaw();
}
