using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Owin.HealthEndpoint;

/// <summary>An IPv4 or IPv6 network in CIDR form (<c>10.0.0.0/8</c>, <c>fd00::/8</c>), or a single host.</summary>
/// <remarks>
/// <para>
/// Text: an address (see <see cref="IpAddressText"/> for the strict forms), optionally followed by <c>/</c> and a
/// decimal prefix length of at most 32 (IPv4) or 128 (IPv6). Without a prefix it is a single host (/32, /128).
/// No whitespace, zone (<c>%eth0</c>) or sign is accepted.
/// </para>
/// <para>
/// Host bits must be zero: <c>10.0.0.1/8</c> is rejected rather than read as <c>10.0.0.0/8</c> (Python's strict
/// mode, not iptables' masking). In an access rule the difference between "this host" and "this host's whole
/// subnet" is too large to settle silently; the configuration error names the entry instead.
/// </para>
/// <para>
/// IPv4 inside IPv6: dual-stack sockets report IPv4 clients as IPv4-mapped addresses (<c>::ffff:127.0.0.1</c>).
/// Such an address is an IPv4 address here, in networks and in <see cref="Contains(IPAddress)"/>: <c>127.0.0.0/8</c>
/// contains <c>::ffff:127.0.0.1</c>, and <c>::ffff:10.0.0.0/104</c> is the same network as <c>10.0.0.0/8</c> (and
/// prints as that). The families stay apart otherwise: <c>::/0</c> contains every IPv6 address but no IPv4 client,
/// and <c>0.0.0.0/0</c> no IPv6 one; allowing everyone takes both.
/// </para>
/// <para><see langword="default"/>(<see cref="IpNetwork"/>) is no network: it contains nothing and prints as empty.</para>
/// </remarks>
internal readonly struct IpNetwork : IEquatable<IpNetwork>
{
    private const byte NoFamily = 0;
    private const byte IPv4 = 4;
    private const byte IPv6 = 6;
    private const ulong IPv4MappedPrefix = 0xFFFF_0000_0000UL; // the low half of ::ffff:0.0.0.0

    // The network as 128 bits; an IPv4 network is held as its IPv4-mapped form with 96 more prefix bits.
    private readonly ulong _high;
    private readonly ulong _low;
    private readonly byte _bits;
    private readonly byte _family;

    private IpNetwork(ulong high, ulong low, int bits, byte family)
    {
        _high = high;
        _low = low;
        _bits = (byte)bits;
        _family = family;
    }

    /// <summary>The prefix length as written for the network's family: 0–32 for IPv4, 0–128 for IPv6.</summary>
    public int PrefixLength => _family == IPv4 ? _bits - 96 : _bits;

    /// <summary>Whether this is an IPv4 network (including one written in IPv4-mapped IPv6 form).</summary>
    public bool IsIPv4 => _family == IPv4;

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
        if (address is null || !TryGetBits(address, out var high, out var low))
        {
            return false;
        }

        var isIPv4 = address.AddressFamily == AddressFamily.InterNetwork;
        var maximum = isIPv4 ? 32 : 128;
        var prefix = maximum;
        if (slash >= 0 && !TryParsePrefix(text, slash + 1, maximum, out prefix))
        {
            return false;
        }

        var bits = isIPv4 ? prefix + 96 : prefix;
        if ((high & ~HighMask(bits)) != 0 || (low & ~LowMask(bits)) != 0)
        {
            return false;
        }

        var family = isIPv4 || (bits >= 96 && IsIPv4Mapped(high, low)) ? IPv4 : IPv6;
        network = new IpNetwork(high, low, bits, family);
        return true;
    }

    /// <summary>Whether <paramref name="address"/> lies in this network; IPv4-mapped IPv6 counts as IPv4.</summary>
    /// <param name="address">The address to test; <see langword="null"/> is in no network.</param>
    /// <returns><see langword="true"/> when the address is in the network.</returns>
    public bool Contains(IPAddress? address) =>
        address is not null && TryGetBits(address, out var high, out var low) && Contains(high, low);

    /// <summary>Whether any of <paramref name="networks"/> contains <paramref name="address"/>.</summary>
    /// <param name="networks">The networks to test, in any order.</param>
    /// <param name="address">The address; its bytes are read once for all networks.</param>
    /// <returns><see langword="true"/> when one of the networks contains the address.</returns>
    public static bool AnyContains(IReadOnlyList<IpNetwork> networks, IPAddress address)
    {
        if (!TryGetBits(address, out var high, out var low))
        {
            return false;
        }

        for (var i = 0; i < networks.Count; i++)
        {
            if (networks[i].Contains(high, low))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The canonical form: <c>10.0.0.0/8</c>, <c>192.168.1.7/32</c>, <c>fd00::/8</c> (prefix always shown).</summary>
    /// <returns>The network in CIDR notation, or an empty string for <see langword="default"/>.</returns>
    public override string ToString()
    {
        if (_family == NoFamily)
        {
            return string.Empty;
        }

        var bytes = new byte[_family == IPv4 ? 4 : 16];
        for (var i = 0; i < bytes.Length; i++)
        {
            var half = i < bytes.Length - 8 ? _high : _low; // an IPv4 network's four bytes are the low half's last
            bytes[i] = (byte)(half >> (8 * ((bytes.Length - 1 - i) % 8)));
        }

        return new IPAddress(bytes).ToString() + "/" + PrefixLength.ToString(CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public bool Equals(IpNetwork other) =>
        _high == other._high && _low == other._low && _bits == other._bits && _family == other._family;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is IpNetwork other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => unchecked((_high.GetHashCode() * 397) ^ (_low.GetHashCode() * 31) ^ _bits);

    /// <summary>Whether two networks are the same set of addresses written canonically.</summary>
    /// <param name="left">One network.</param>
    /// <param name="right">The other network.</param>
    /// <returns><see langword="true"/> when they are equal.</returns>
    public static bool operator ==(IpNetwork left, IpNetwork right) => left.Equals(right);

    /// <summary>Whether two networks differ.</summary>
    /// <param name="left">One network.</param>
    /// <param name="right">The other network.</param>
    /// <returns><see langword="true"/> when they are not equal.</returns>
    public static bool operator !=(IpNetwork left, IpNetwork right) => !left.Equals(right);

    private bool Contains(ulong high, ulong low) =>
        _family != NoFamily
        && (_family == IPv4) == IsIPv4Mapped(high, low)
        && ((high ^ _high) & HighMask(_bits)) == 0
        && ((low ^ _low) & LowMask(_bits)) == 0;

    // The address as 128 bits, IPv4 in its IPv4-mapped form, so that both spellings of an IPv4 client compare alike.
    private static bool TryGetBits(IPAddress address, out ulong high, out ulong low)
    {
        high = 0;
        low = 0;
#if NETSTANDARD2_0
        var bytes = address.GetAddressBytes();
        var length = bytes.Length;
#else
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var length))
        {
            return false;
        }
#endif
        if (length == 4)
        {
            low = IPv4MappedPrefix | ((ulong)bytes[0] << 24) | ((ulong)bytes[1] << 16) | ((ulong)bytes[2] << 8) | bytes[3];
            return true;
        }

        if (length != 16)
        {
            return false;
        }

        for (var i = 0; i < 8; i++)
        {
            high = (high << 8) | bytes[i];
            low = (low << 8) | bytes[i + 8];
        }

        return true;
    }

    private static bool IsIPv4Mapped(ulong high, ulong low) => high == 0 && (low >> 32) == 0xFFFF;

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

    // The first `bits` of the 128, split into the high and the low 64. C# masks shift counts to 0–63, hence the cases.
    private static ulong HighMask(int bits) => bits >= 64 ? ulong.MaxValue : bits == 0 ? 0 : ulong.MaxValue << (64 - bits);

    private static ulong LowMask(int bits) => bits <= 64 ? 0 : ulong.MaxValue << (128 - bits);
}
