using System;
using System.Collections.Generic;
using System.Net;

namespace HealthEndpoint.Owin;

/// <summary>Decides from a request's peer and <c>X-Forwarded-For</c> whether its client may use the health paths.</summary>
/// <remarks>
/// <para>
/// The client is the immediate peer (<c>server.RemoteIpAddress</c>) unless that peer is a trusted proxy. Only then
/// is <c>X-Forwarded-For</c> read, right to left (the last header value first, each value's comma list from its
/// end), passing over entries that are trusted proxies themselves: the first entry that is not is the client. When
/// every entry is a trusted proxy, the leftmost is the client; when a trusted peer sends no such header, the peer
/// is. An untrusted peer's <c>X-Forwarded-For</c> is never read, so a client cannot spoof its way in.
/// </para>
/// <para>
/// Denied: a missing or unparseable remote address, and a malformed entry met on the walk (see
/// <see cref="ForwardedFor"/> for the entry forms). Entries left of the client are not read: the client wrote
/// them, so they can neither grant nor refuse anything. With no allowed networks every request is denied.
/// </para>
/// </remarks>
internal sealed class ClientAccessPolicy
{
    private readonly IpNetwork[] _allowedNetworks;
    private readonly IpNetwork[] _trustedProxies;

    /// <summary>Creates the policy from a snapshot of both lists.</summary>
    /// <param name="allowedNetworks">Networks whose clients are allowed.</param>
    /// <param name="trustedProxies">Networks of the proxies whose <c>X-Forwarded-For</c> entries are believed.</param>
    public ClientAccessPolicy(IReadOnlyList<IpNetwork> allowedNetworks, IReadOnlyList<IpNetwork> trustedProxies)
    {
        _allowedNetworks = Snapshot(allowedNetworks ?? throw new ArgumentNullException(nameof(allowedNetworks)));
        _trustedProxies = Snapshot(trustedProxies ?? throw new ArgumentNullException(nameof(trustedProxies)));
    }

    /// <summary>Whether the request's client is in an allowed network.</summary>
    /// <param name="remoteAddress">The peer's address as the server wrote it (<c>server.RemoteIpAddress</c>); <see langword="null"/> when unknown.</param>
    /// <param name="forwardedFor">The request's <c>X-Forwarded-For</c> values in header order; <see langword="null"/> when absent.</param>
    /// <returns><see langword="true"/> when the client address was found and is allowed.</returns>
    public bool Allows(string? remoteAddress, string[]? forwardedFor)
    {
        var client = FindClient(remoteAddress, forwardedFor);
        return client is not null && IpNetwork.AnyContains(_allowedNetworks, client);
    }

    private IPAddress? FindClient(string? remote, string[]? forwarded)
    {
        if (remote is null)
        {
            return null;
        }

        // Servers write the peer with IPAddress.ToString(), which keeps an IPv6 zone (fe80::1%2).
        var peer = IpAddressText.Parse(remote, 0, remote.Length, allowZone: true);
        if (peer is null || !IpNetwork.AnyContains(_trustedProxies, peer))
        {
            return peer;
        }

        return forwarded is null || forwarded.Length == 0 ? peer : WalkForwardedFor(forwarded);
    }

    private IPAddress? WalkForwardedFor(string[] values)
    {
        IPAddress? leftmost = null;
        for (var v = values.Length - 1; v >= 0; v--)
        {
            var value = values[v] ?? string.Empty;
            var end = value.Length;
            while (true)
            {
                var comma = end == 0 ? -1 : value.LastIndexOf(',', end - 1);
                var entry = ForwardedFor.ParseEntry(value, comma + 1, end);
                if (entry is null)
                {
                    return null;
                }

                if (!IpNetwork.AnyContains(_trustedProxies, entry))
                {
                    return entry;
                }

                leftmost = entry;
                if (comma < 0)
                {
                    break;
                }

                end = comma;
            }
        }

        return leftmost;
    }

    private static IpNetwork[] Snapshot(IReadOnlyList<IpNetwork> networks)
    {
        var copy = new IpNetwork[networks.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = networks[i];
        }

        return copy;
    }
}
