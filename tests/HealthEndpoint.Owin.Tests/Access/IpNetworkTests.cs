using System.Linq;
using System.Net;
using static HealthEndpoint.Owin.Tests.Access.NetworkProbes;

namespace HealthEndpoint.Owin.Tests.Access;

/// <summary>CIDR parsing (strict) and membership for IPv4, IPv6 and IPv4-mapped IPv6.</summary>
/// <remarks>
/// The network's only query is <see cref="IpNetwork.AnyContains"/>, so "parses to 10.0.0.0/8" is asserted as "contains
/// the first and last address of 10.0.0.0/8 (in both IPv4 spellings) and neither neighbour": CIDR blocks are nested or
/// disjoint, so a block that holds both ends of another and neither neighbour is that block.
/// </remarks>
[TestFixture]
public sealed class IpNetworkTests
{
    [TestCase("10.0.0.0/8", "10.0.0.0/8")]
    [TestCase("192.168.1.7", "192.168.1.7/32")]
    [TestCase("192.168.1.7/32", "192.168.1.7/32")]
    [TestCase("0.0.0.0/0", "0.0.0.0/0")]
    [TestCase("255.255.255.255", "255.255.255.255/32")]
    [TestCase("172.16.0.0/12", "172.16.0.0/12")]
    [TestCase("10.0.0.0/08", "10.0.0.0/8")]
    [TestCase("0.0.0.0", "0.0.0.0/32")]
    [TestCase("::1", "::1/128")]
    [TestCase("::1/128", "::1/128")]
    [TestCase("::/0", "::/0")]
    [TestCase("::", "::/128")]
    [TestCase("fd00::/8", "fd00::/8")]
    [TestCase("FD00::/8", "fd00::/8")]
    [TestCase("fe80::/10", "fe80::/10")]
    [TestCase("2001:0db8:0000:0000:0000:0000:0000:0000/32", "2001:db8::/32")]
    [TestCase("2001:db8::8000:0:0:0/65", "2001:db8:0:0:8000::/65")]
    [TestCase("::ffff:10.0.0.0/104", "10.0.0.0/8")]
    [TestCase("::ffff:a00:0/104", "10.0.0.0/8")]
    [TestCase("::ffff:0:0/96", "0.0.0.0/0")]
    [TestCase("::ffff:127.0.0.1", "127.0.0.1/32")]
    [TestCase("::/80", "::/80")]
    public void TryParse_ValidText_ReturnsCanonicalNetwork(string text, string canonical)
    {
        var parsed = IpNetwork.TryParse(text, out var network);

        Assert.That(parsed, Is.True);
        AssertIsNetwork(network, canonical);
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase(" 10.0.0.0/8")]
    [TestCase("10.0.0.0/8 ")]
    [TestCase("10.0.0.0 /8")]
    [TestCase("10.0.0.0/33")]
    [TestCase("10.0.0.0/100")]
    [TestCase("10.0.0.0/1000")]
    [TestCase("::/129")]
    [TestCase("10.0.0.0/-1")]
    [TestCase("10.0.0.0/+8")]
    [TestCase("10.0.0.0/")]
    [TestCase("10.0.0.0/x")]
    [TestCase("10.0.0.0/8/8")]
    [TestCase("/8")]
    [TestCase("10.0.0/8")]
    [TestCase("10.0.0.0.0/8")]
    [TestCase("10..0.0/8")]
    [TestCase("256.0.0.0/8")]
    [TestCase("010.0.0.0/8")]
    [TestCase("0x0a.0.0.0/8")]
    [TestCase("10")]
    [TestCase("10.0.0.1/8")]
    [TestCase("192.168.1.7/24")]
    [TestCase("fd00::1/8")]
    [TestCase("::1/127")]
    [TestCase("::ffff:10.0.0.1/104")]
    [TestCase("::ffff:0:0/80")]
    [TestCase("fe80::1%eth0")]
    [TestCase("fe80::1%2/128")]
    [TestCase("[::1]")]
    [TestCase("[::1]/128")]
    [TestCase("1::2::3/64")]
    [TestCase("2001:db8::g/64")]
    [TestCase("::ffff:010.0.0.0/104")]
    [TestCase("localhost")]
    [TestCase("10.0.0.0:80")]
    public void TryParse_InvalidText_ReturnsFalseAndDefault(string? text)
    {
        var parsed = IpNetwork.TryParse(text, out var network);

        Assert.That(parsed, Is.False);
        Assert.That(network, Is.EqualTo(default(IpNetwork)));
    }

    [TestCase("10.0.0.0/8", "10.0.0.0", true)]
    [TestCase("10.0.0.0/8", "10.255.255.255", true)]
    [TestCase("10.0.0.0/8", "9.255.255.255", false)]
    [TestCase("10.0.0.0/8", "11.0.0.0", false)]
    [TestCase("10.0.0.0/8", "::ffff:10.1.2.3", true)]
    [TestCase("10.0.0.0/8", "::ffff:11.0.0.0", false)]
    [TestCase("10.0.0.0/8", "::10.0.0.1", false)]
    [TestCase("10.0.0.0/8", "a00::", false)]
    [TestCase("192.168.1.7", "192.168.1.7", true)]
    [TestCase("192.168.1.7", "192.168.1.6", false)]
    [TestCase("192.168.1.7", "192.168.1.8", false)]
    [TestCase("192.168.1.7", "::ffff:192.168.1.7", true)]
    [TestCase("192.168.0.0/23", "192.168.1.255", true)]
    [TestCase("192.168.0.0/23", "192.168.2.0", false)]
    [TestCase("192.168.0.0/23", "192.167.255.255", false)]
    [TestCase("10.0.0.0/31", "10.0.0.1", true)]
    [TestCase("10.0.0.0/31", "10.0.0.2", false)]
    [TestCase("0.0.0.0/0", "0.0.0.0", true)]
    [TestCase("0.0.0.0/0", "255.255.255.255", true)]
    [TestCase("0.0.0.0/0", "::ffff:1.2.3.4", true)]
    [TestCase("0.0.0.0/0", "::1", false)]
    [TestCase("0.0.0.0/0", "::", false)]
    [TestCase("127.0.0.0/8", "::ffff:127.0.0.1", true)]
    [TestCase("::1", "::1", true)]
    [TestCase("::1", "::2", false)]
    [TestCase("::1", "::", false)]
    [TestCase("::1", "127.0.0.1", false)]
    [TestCase("::/0", "::1", true)]
    [TestCase("::/0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true)]
    [TestCase("::/0", "127.0.0.1", false)]
    [TestCase("::/0", "::ffff:127.0.0.1", false)]
    [TestCase("fd00::/8", "fd00::1", true)]
    [TestCase("fd00::/8", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true)]
    [TestCase("fd00::/8", "fcff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", false)]
    [TestCase("fd00::/8", "fe00::", false)]
    [TestCase("2001:db8::/64", "2001:db8::ffff:ffff:ffff:ffff", true)]
    [TestCase("2001:db8::/64", "2001:db8:0:1::", false)]
    [TestCase("2001:db8::/64", "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", false)]
    [TestCase("2001:db8::/63", "2001:db8:0:1:ffff:ffff:ffff:ffff", true)]
    [TestCase("2001:db8::/63", "2001:db8:0:2::", false)]
    [TestCase("2001:db8::/65", "2001:db8::7fff:ffff:ffff:ffff", true)]
    [TestCase("2001:db8::/65", "2001:db8::8000:0:0:0", false)]
    [TestCase("2001:db8::/127", "2001:db8::1", true)]
    [TestCase("2001:db8::/127", "2001:db8::2", false)]
    [TestCase("fe80::/10", "fe80::1%2", true)]
    [TestCase("fe80::/10", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true)]
    [TestCase("fe80::/10", "fec0::", false)]
    [TestCase("::ffff:10.0.0.0/104", "10.0.0.1", true)]
    [TestCase("::ffff:10.0.0.0/104", "::ffff:10.0.0.1", true)]
    [TestCase("::ffff:10.0.0.0/104", "11.0.0.1", false)]
    [TestCase("::ffff:0:0/96", "1.2.3.4", true)]
    [TestCase("::ffff:0:0/96", "::1", false)]
    [TestCase("::/80", "::ffff:1.2.3.4", false)]
    [TestCase("::/80", "::1.2.3.4", true)]
    public void Contains_Address_MatchesTable(string network, string address, bool expected)
    {
        Assert.That(Contains(Parse(network), IPAddress.Parse(address)), Is.EqualTo(expected));
    }

    // Network = the first `prefix` bits set; inside = all 128 bits set; outside = inside with the last network bit cleared.
    // Inside with a host bit cleared and outside with the last network bit cleared pin the prefix length exactly.
    [Test]
    public void Contains_EveryIPv6PrefixLength_DecidesOnTheLastNetworkBit([Range(0, 128)] int prefix)
    {
        var network = Parse(Address(16, prefix, clearBit: -1) + "/" + prefix);

        Assert.That(Contains(network, Address(16, 128, clearBit: -1)), Is.True);
        if (prefix < 128)
        {
            Assert.That(Contains(network, Address(16, 128, clearBit: prefix)), Is.True, "a host bit");
        }

        if (prefix > 0)
        {
            Assert.That(Contains(network, Address(16, 128, clearBit: prefix - 1)), Is.False, "the last network bit");
        }
    }

    [Test]
    public void Contains_EveryIPv4PrefixLength_DecidesOnTheLastNetworkBit([Range(0, 32)] int prefix)
    {
        var network = Parse(Address(4, prefix, clearBit: -1) + "/" + prefix);

        Assert.That(Contains(network, Address(4, 32, clearBit: -1)), Is.True);
        Assert.That(Contains(network, IPAddress.Parse("::ffff:255.255.255.255")), Is.True);
        if (prefix < 32)
        {
            Assert.That(Contains(network, Address(4, 32, clearBit: prefix)), Is.True, "a host bit");
        }

        if (prefix > 0)
        {
            Assert.That(Contains(network, Address(4, 32, clearBit: prefix - 1)), Is.False, "the last network bit");
        }
    }

    [TestCase(0)]
    [TestCase(7)]
    [TestCase(64)]
    [TestCase(127)]
    public void TryParse_HostBitSetAfterPrefix_ReturnsFalse(int prefix)
    {
        var text = Address(16, prefix + 1, clearBit: -1) + "/" + prefix;

        Assert.That(IpNetwork.TryParse(text, out _), Is.False, text);
    }

    [Test]
    public void Default_ContainsNothing()
    {
        var network = default(IpNetwork);

        Assert.That(Contains(network, IPAddress.Parse("::")), Is.False);
        Assert.That(Contains(network, IPAddress.Parse("0.0.0.0")), Is.False);
    }

    // Formerly PrefixLength and IsIPv4: the network is the block of that length in that family.
    [TestCase("10.0.0.0/8", 8, true)]
    [TestCase("::ffff:10.0.0.0/104", 8, true)]
    [TestCase("192.168.1.7", 32, true)]
    [TestCase("fd00::/8", 8, false)]
    [TestCase("::1", 128, false)]
    public void PrefixLength_ParsedNetwork_IsPerFamily(string text, int prefixLength, bool isIPv4)
    {
        var address = IPAddress.Parse(text.Split('/')[0]);

        AssertIsNetwork(Parse(text), (isIPv4 ? address.MapToIPv4() : address) + "/" + prefixLength);
    }

    // Formerly == and Equals: two spellings are equal when each holds the other's ends and neither's neighbours.
    [TestCase("10.0.0.0/8", "::ffff:10.0.0.0/104", true)]
    [TestCase("10.0.0.0/8", "10.0.0.0/9", false)]
    [TestCase("0.0.0.0/0", "::/0", false)]
    [TestCase("::1", "::1/128", true)]
    [TestCase("fd00::/8", "FD00::/8", true)]
    public void Equals_TwoNetworks_ComparesTheSetOfAddresses(string left, string right, bool equal)
    {
        var probes = NetworkProbes.Probes(left).Concat(NetworkProbes.Probes(right)).ToArray();

        var leftMembers = probes.Select(address => Contains(Parse(left), address));
        var rightMembers = probes.Select(address => Contains(Parse(right), address));

        Assert.That(leftMembers.SequenceEqual(rightMembers), Is.EqualTo(equal));
    }

    [TestCase("203.0.113.9", false)]
    [TestCase("192.168.1.7", true)]
    [TestCase("::ffff:192.168.1.7", true)]
    [TestCase("fd00::5", true)]
    public void AnyContains_Address_IsTrueWhenOneNetworkContainsIt(string address, bool expected)
    {
        var networks = new[] { Parse("10.0.0.0/8"), default, Parse("192.168.1.7"), Parse("fd00::/8") };

        Assert.That(IpNetwork.AnyContains(networks, IPAddress.Parse(address)), Is.EqualTo(expected));
        Assert.That(IpNetwork.AnyContains(System.Array.Empty<IpNetwork>(), IPAddress.Parse(address)), Is.False);
    }
}
