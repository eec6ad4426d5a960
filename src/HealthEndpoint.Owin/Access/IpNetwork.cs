using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;

namespace HealthEndpoint.Owin;

/// <summary>An IPv4 or IPv6 network in CIDR form (<c>10.0.0.0/8</c>, <c>fd00::/8</c>), or a single host.</summary>
/// <remarks>
/// <para>
/// Text: an address (see <see cref="IpAddressText"/> for the strict forms), optionally followed by <c>/</c> and a
/// decimal prefix length of one to three digits, at most 32 (IPv4) or 128 (IPv6). Without a prefix it is a single
/// host (/32, /128). No whitespace, zone (<c>%eth0</c>) or sign is accepted.
/// </para>
/// <para>
/// Host bits must be zero: <c>10.0.0.1/8</c> is rejected rather than read as <c>10.0.0.0/8</c> (Python's strict
/// mode, not iptables' masking). In an access rule the difference between "this host" and "this host's whole
/// subnet" is too large to settle silently; the configuration error names the entry instead.
/// </para>
/// <para>
/// IPv4 inside IPv6: dual-stack sockets report IPv4 clients as IPv4-mapped addresses (<c>::ffff:127.0.0.1</c>).
/// Such an address is an IPv4 address here, in networks and in <see cref="AnyContains"/>: <c>127.0.0.0/8</c>
/// contains <c>::ffff:127.0.0.1</c>, and <c>::ffff:10.0.0.0/104</c> is the same network as <c>10.0.0.0/8</c>. The
/// families stay apart otherwise: <c>::/0</c> contains every IPv6 address but no IPv4 client, and <c>0.0.0.0/0</c>
/// no IPv6 one; allowing everyone takes both.
/// </para>
/// <para>
/// What <see cref="IPNetwork"/> does (on netstandard2.0 a small stand-in of that name) is IPv6 matching only. Its
/// parser is laxer than ours and differs by runtime: on .NET 10, <c>IPNetwork.TryParse</c> reads
/// <c>010.0.0.0/8</c> as 8.0.0.0/8 and <c>10/8</c> as 0.0.0.0/8, accepts <c>[::1]/128</c> and zones, and masks the
/// host bits of <c>10.0.0.1/8</c>, which .NET 8 rejected. Its <c>Contains</c> treats IPv4-mapped addresses
/// unevenly (<c>10.0.0.0/8</c> contains <c>::ffff:10.1.1.1</c>, <c>::/0</c> contains <c>::ffff:1.2.3.4</c> but
/// <c>::/64</c> does not, <c>::ffff:0:0/96</c> contains no address at all), so IPv4 and mapped clients never reach
/// it: an IPv4 network is a 32-bit value and mask here.
/// </para>
/// <para><see langword="default"/>(<see cref="IpNetwork"/>) is no network: it contains nothing.</para>
/// </remarks>
internal readonly struct IpNetwork
{
    // InterNetwork or InterNetworkV6; Unknown (0) for default, which contains nothing.
    private readonly AddressFamily _family;
    private readonly uint _ipv4Network;
    private readonly uint _ipv4Mask;
    private readonly IPNetwork _ipv6Network;

    private IpNetwork(uint ipv4Network, int prefixLength)
    {
        _family = AddressFamily.InterNetwork;
        _ipv4Mask = prefixLength == 0 ? 0 : uint.MaxValue << (32 - prefixLength);
        _ipv4Network = ipv4Network;
        _ipv6Network = default;
    }

    private IpNetwork(IPNetwork ipv6Network)
    {
        _family = AddressFamily.InterNetworkV6;
        _ipv4Network = 0;
        _ipv4Mask = 0;
        _ipv6Network = ipv6Network;
    }

    /// <summary>Parses a network or single host; see the type's remarks for the accepted forms.</summary>
    /// <param name="text">For example <c>10.0.0.0/8</c>, <c>192.168.1.7</c>, <c>::1</c>, <c>fd00::/8</c>.</param>
    /// <param name="network">The network, or <see langword="default"/> when the text is invalid.</param>
    /// <returns>Whether <paramref name="text"/> is a valid network.</returns>
    public static bool TryParse(string? text, out IpNetwork network)
    {
        network = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var slash = text!.IndexOf('/');
        var address = IpAddressText.Parse(text, 0, slash < 0 ? text.Length : slash, allowZone: false);
        if (address is null)
        {
            return false;
        }

        var bytes = address.GetAddressBytes();
        var prefix = bytes.Length * 8;
        if ((slash >= 0 && !TryParsePrefix(text, slash + 1, bytes.Length * 8, out prefix)) || !HostBitsAreZero(bytes, prefix))
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6 && prefix >= 96)
        {
            address = address.MapToIPv4();
            prefix -= 96;
        }

        network = address.AddressFamily == AddressFamily.InterNetwork
            ? new IpNetwork(IPv4Value(address), prefix)
            : new IpNetwork(new IPNetwork(address, prefix));
        return true;
    }

    /// <summary>Whether any of <paramref name="networks"/> contains <paramref name="address"/>.</summary>
    /// <param name="networks">The networks to test, in any order.</param>
    /// <param name="address">The address; IPv4-mapped IPv6 counts as IPv4, a zone is ignored.</param>
    /// <returns><see langword="true"/> when one of the networks contains the address.</returns>
    public static bool AnyContains(IReadOnlyList<IpNetwork> networks, IPAddress address)
    {
        for (var i = 0; i < networks.Count; i++)
        {
            if (networks[i].Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    private bool Contains(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork || address.IsIPv4MappedToIPv6)
        {
            return _family == AddressFamily.InterNetwork && (IPv4Value(address) & _ipv4Mask) == _ipv4Network;
        }

        return _family == AddressFamily.InterNetworkV6 && _ipv6Network.Contains(address);
    }

    // The IPv4 address, or the IPv4 address inside an IPv4-mapped one (its last four bytes), as a number.
    private static uint IPv4Value(IPAddress address)
    {
#if NETSTANDARD2_0
        var bytes = address.GetAddressBytes();
        var at = bytes.Length - 4;
#else
        Span<byte> bytes = stackalloc byte[16];
        _ = address.TryWriteBytes(bytes, out var length);
        var at = length - 4;
#endif
        return ((uint)bytes[at] << 24) | ((uint)bytes[at + 1] << 16) | ((uint)bytes[at + 2] << 8) | bytes[at + 3];
    }

    private static bool TryParsePrefix(string text, int start, int maximum, out int prefix)
    {
        prefix = 0;
        var length = text.Length - start;
        if (length is < 1 or > 3)
        {
            return false;
        }

        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (c < '0' || c > '9')
            {
                return false;
            }

            prefix = (prefix * 10) + (c - '0');
        }

        return prefix <= maximum;
    }

    private static bool HostBitsAreZero(byte[] bytes, int prefix)
    {
        for (var i = prefix / 8; i < bytes.Length; i++)
        {
            var hostMask = i == prefix / 8 ? 0xFF >> (prefix % 8) : 0xFF;
            if ((bytes[i] & hostMask) != 0)
            {
                return false;
            }
        }

        return true;
    }
}
