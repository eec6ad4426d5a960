using System;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace Recipes.Tests;

/// <summary>
/// An HTTP client whose connections leave from one chosen loopback address (127.0.0.2, 127.0.0.3, …), so that a
/// proxy and the app see distinct clients on one machine; like a probe, it sends no cookies and follows no redirects.
/// </summary>
internal sealed class LoopbackClient : IDisposable
{
    private readonly HttpClient _client;

    public LoopbackClient(IPAddress localAddress)
    {
        LocalAddress = localAddress;
        var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(localAddress, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>The address every connection is bound to.</summary>
    public IPAddress LocalAddress { get; }

    /// <summary>GETs <paramref name="url"/> with an optional <c>Host</c> and <c>X-Forwarded-For</c>; returns the status code.</summary>
    public async Task<int> GetStatusAsync(Uri url, string? hostName = null, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (hostName is not null)
        {
            request.Headers.Host = hostName;
        }

        if (forwardedFor is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        }

        using var response = await _client.SendAsync(request);
        return (int)response.StatusCode;
    }

    public void Dispose() => _client.Dispose();
}
