using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace HealthEndpoint.Owin.Tests.Access;

/// <summary>Parses networks and asks them about addresses for <see cref="IpNetworkTests"/>: the ends of a CIDR block,
/// their neighbours, and addresses with chosen bits set.</summary>
internal static class NetworkProbes
{
    internal static IpNetwork Parse(string text)
    {
        Assert.That(IpNetwork.TryParse(text, out var network), Is.True, text);
        return network;
    }

    /// <summary>Whether the one network contains the address.</summary>
    internal static bool Contains(IpNetwork network, IPAddress address) => IpNetwork.AnyContains(new[] { network }, address);

    // `canonical` is a plain CIDR text; the network must hold its ends and not its neighbours (IpNetworkTests' remarks say why).
    internal static void AssertIsNetwork(IpNetwork network, string canonical)
    {
        var (first, last) = Ends(canonical);
        var inside = new List<byte[]> { first, last };
        foreach (var end in inside)
        {
            var bytes = end;
            if (new IPAddress(bytes).IsIPv4MappedToIPv6)
            {
                // An IPv6 block around ::ffff:0:0/96 (::/80) holds none of those IPv4 addresses; the one below stands in.
                Assert.That(Contains(network, new IPAddress(bytes)), Is.False, canonical + " lacks " + new IPAddress(bytes));
                bytes = (byte[])bytes.Clone();
                bytes[11] = 0xFE;
            }

            Assert.That(Contains(network, new IPAddress(bytes)), Is.True, canonical + " holds " + new IPAddress(bytes));
            if (bytes.Length == 4)
            {
                var mapped = new IPAddress(bytes).MapToIPv6();
                Assert.That(Contains(network, mapped), Is.True, canonical + " holds " + mapped);
            }
        }

        foreach (var outside in new[] { Step(first, -1), Step(last, +1) }.Where(bytes => bytes is not null))
        {
            Assert.That(Contains(network, new IPAddress(outside!)), Is.False, canonical + " lacks " + new IPAddress(outside!));
        }
    }

    // The ends of a CIDR text, their neighbours, and an IPv4 address's mapped form.
    internal static IEnumerable<IPAddress> Probes(string text)
    {
        var (first, last) = Ends(text);
        foreach (var bytes in new[] { first, last, Step(first, -1), Step(last, +1) })
        {
            if (bytes is null)
            {
                continue;
            }

            var address = new IPAddress(bytes);
            yield return address;
            if (bytes.Length == 4)
            {
                yield return address.MapToIPv6();
            }
        }
    }

    internal static (byte[] First, byte[] Last) Ends(string text)
    {
        var parts = text.Split('/');
        var first = IPAddress.Parse(parts[0]).GetAddressBytes();
        var prefix = parts.Length > 1 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : first.Length * 8;
        var last = (byte[])first.Clone();
        for (var bit = prefix; bit < last.Length * 8; bit++)
        {
            last[bit / 8] |= (byte)(0x80 >> (bit % 8));
        }

        return (first, last);
    }

    // The address one below or above, or null past the end of the family's range.
    internal static byte[]? Step(byte[] bytes, int direction)
    {
        var result = (byte[])bytes.Clone();
        for (var i = result.Length - 1; i >= 0; i--)
        {
            var wraps = direction > 0 ? result[i] == 0xFF : result[i] == 0;
            result[i] = (byte)(result[i] + direction);
            if (!wraps)
            {
                return result;
            }
        }

        return null;
    }

    // An address of `length` bytes whose first `ones` bits are set, with bit `clearBit` (from the left) cleared.
    internal static IPAddress Address(int length, int ones, int clearBit)
    {
        var bytes = new byte[length];
        for (var bit = 0; bit < ones; bit++)
        {
            bytes[bit / 8] |= (byte)(0x80 >> (bit % 8));
        }

        if (clearBit >= 0)
        {
            bytes[clearBit / 8] &= (byte)~(0x80 >> (clearBit % 8));
        }

        return new IPAddress(bytes);
    }
}
