using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Framework.Tests;

/// <summary>A loopback listener that accepts connections and never answers: a hung server, as the house tests define one.</summary>
internal sealed class SilentListener : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _clients = [];
    private readonly Task _accepting;

    public SilentListener()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many connections were accepted so far.</summary>
    public int Accepted
    {
        get
        {
            lock (_clients)
            {
                return _clients.Count;
            }
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        lock (_clients)
        {
            _clients.ForEach(client => client.Close());
        }

        // Stop() ends the accept loop with an exception; it is the expected end, not a failure.
        _accepting.ContinueWith(static task => task.Exception, TaskScheduler.Default);
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            var client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false);
            lock (_clients)
            {
                _clients.Add(client);
            }
        }
    }
}
