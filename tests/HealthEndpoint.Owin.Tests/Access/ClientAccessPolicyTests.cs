using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace HealthEndpoint.Owin.Tests.Access;

/// <summary>
/// Who the client is (the peer, or X-Forwarded-For behind trusted proxies) and whether it is allowed.
/// Allowed: 10.0.0.0/8 and ::1. Trusted proxies: 192.0.2.0/24, 2001:db8:ffff::/48, and 10.9.0.0/16 (allowed too).
/// </summary>
[TestFixture]
public sealed class ClientAccessPolicyTests
{
    private static readonly ClientAccessPolicy Policy = Create("10.0.0.0/8 ::1", "192.0.2.0/24 2001:db8:ffff::/48 10.9.0.0/16");

    // forwardedFor: null = no header; '|' separates header values (each may be a comma list).
    [TestCase("10.1.2.3", null, true, TestName = "Allows_AllowedPeer_True")]
    [TestCase("203.0.113.9", null, false, TestName = "Allows_OtherPeer_False")]
    [TestCase("::1", null, true, TestName = "Allows_IPv6LoopbackPeer_True")]
    [TestCase("::2", null, false, TestName = "Allows_OtherIPv6Peer_False")]
    [TestCase("::ffff:10.1.2.3", null, true, TestName = "Allows_MappedAllowedPeer_True")]
    [TestCase("::ffff:203.0.113.9", null, false, TestName = "Allows_MappedOtherPeer_False")]
    [TestCase("203.0.113.9", "10.1.2.3", false, TestName = "Allows_SpoofedForwardedForFromUntrustedPeer_Ignored")]
    [TestCase("10.1.2.3", "203.0.113.9", true, TestName = "Allows_AllowedUntrustedPeerWithForwardedFor_PeerDecides")]
    [TestCase("192.0.2.1", "10.1.2.3", true, TestName = "Allows_TrustedProxyForwardsAllowedClient_True")]
    [TestCase("192.0.2.1", "203.0.113.9", false, TestName = "Allows_TrustedProxyForwardsOtherClient_False")]
    [TestCase("192.0.2.1", null, false, TestName = "Allows_TrustedProxyWithoutHeader_ProxyIsClient")]
    [TestCase("10.9.0.5", null, true, TestName = "Allows_AllowedTrustedProxyWithoutHeader_True")]
    [TestCase("10.9.0.5", "203.0.113.9", false, TestName = "Allows_AllowedTrustedProxyForwardsOtherClient_False")]
    [TestCase("::ffff:192.0.2.1", "10.1.2.3", true, TestName = "Allows_MappedTrustedPeer_HeaderHonoured")]
    [TestCase("192.0.2.1", "10.1.2.3, 192.0.2.2", true, TestName = "Allows_ProxyChain_SkipsTrustedHops")]
    [TestCase("192.0.2.1", "10.1.2.3, 192.0.2.7, 192.0.2.2", true, TestName = "Allows_LongProxyChain_SkipsTrustedHops")]
    [TestCase("192.0.2.1", "203.0.113.9, 10.1.2.3, 192.0.2.2", true, TestName = "Allows_ClientPrependedSpoof_Ignored")]
    [TestCase("192.0.2.1", "10.1.2.3, 203.0.113.9, 192.0.2.2", false, TestName = "Allows_RightmostUntrustedEntry_IsClient")]
    [TestCase("192.0.2.1", "192.0.2.3, 192.0.2.2", false, TestName = "Allows_AllEntriesTrusted_LeftmostIsClient")]
    [TestCase("192.0.2.1", "10.9.0.1, 192.0.2.2", true, TestName = "Allows_AllEntriesTrustedLeftmostAllowed_True")]
    [TestCase("192.0.2.1", "10.1.2.3|192.0.2.2", true, TestName = "Allows_TwoHeaderValues_LastValueIsRightmost")]
    [TestCase("192.0.2.1", "203.0.113.9|10.1.2.3", true, TestName = "Allows_TwoHeaderValuesSpoofInFirst_Ignored")]
    [TestCase("192.0.2.1", "10.1.2.3|203.0.113.9", false, TestName = "Allows_TwoHeaderValuesOtherInLast_False")]
    [TestCase("192.0.2.1", "10.1.2.3, 192.0.2.4|192.0.2.2", true, TestName = "Allows_ListsAcrossValues_WalkedRightToLeft")]
    [TestCase("2001:db8:ffff::1", "::1", true, TestName = "Allows_IPv6ProxyForwardsIPv6Client_True")]
    [TestCase("2001:db8:ffff::1", "2001:db8::1", false, TestName = "Allows_IPv6ProxyForwardsOtherIPv6Client_False")]
    [TestCase("2001:db8:ffff::1", "::1, 2001:db8:ffff::2", true, TestName = "Allows_IPv6ProxyChain_SkipsTrustedHops")]
    [TestCase("2001:db8:ffff::1", "10.1.2.3", true, TestName = "Allows_IPv6ProxyForwardsIPv4Client_True")]
    [TestCase("192.0.2.1", "::ffff:10.1.2.3", true, TestName = "Allows_MappedForwardedClient_MatchesIPv4")]
    [TestCase("192.0.2.1", "10.1.2.3:5678", true, TestName = "Allows_IPv4EntryWithPort_PortDropped")]
    [TestCase("192.0.2.1", "[::1]:443", true, TestName = "Allows_BracketedIPv6EntryWithPort_PortDropped")]
    [TestCase("192.0.2.1", "[::1]", true, TestName = "Allows_BracketedIPv6Entry_True")]
    [TestCase("192.0.2.1", " 10.1.2.3 ,\t192.0.2.2\t", true, TestName = "Allows_WhitespaceAroundEntries_Trimmed")]
    [TestCase("192.0.2.1", "garbage, 10.1.2.3", true, TestName = "Allows_MalformedLeftOfClient_NotRead")]
    [TestCase("192.0.2.1", "::1:443", false, TestName = "Allows_IPv6WithPortNoBrackets_ReadAsAddress")]
    public void Allows_Request_MatchesTable(string? remote, string? forwardedFor, bool expected)
    {
        var environment = Environment(remote, forwardedFor?.Split('|'));

        Assert.That(Allows(Policy, environment), Is.EqualTo(expected));
    }

    [TestCase("unknown")]
    [TestCase("")]
    [TestCase(" ")]
    [TestCase("10.1.2.3,")]
    [TestCase("10.1.2.3,,192.0.2.2")]
    [TestCase(",192.0.2.2")]
    [TestCase("10.1.2.3|")]
    [TestCase("10.1.2.3 192.0.2.2")]
    [TestCase("10.1.2.3:")]
    [TestCase("10.1.2.3:99999")]
    [TestCase("10.1.2.3:65536")]
    [TestCase("10.1.2.3:123456")]
    [TestCase("10.1.2.3:-1")]
    [TestCase("10.1.2.3:http")]
    [TestCase("[10.1.2.3]")]
    [TestCase("[10.1.2.3]:80")]
    [TestCase("[::1")]
    [TestCase("[::1]x")]
    [TestCase("[::1]:")]
    [TestCase("[::1]:80:80")]
    [TestCase("[]")]
    [TestCase("\"10.1.2.3\"")]
    [TestCase("010.1.2.3")]
    [TestCase("10.1.2")]
    [TestCase("10.1.2.3.4")]
    [TestCase("0x0a.1.2.3")]
    [TestCase("fe80::1%eth0")]
    [TestCase("host.example")]
    [TestCase("_hidden")]
    [TestCase("10.1.2.3/32")]
    public void Allows_MalformedForwardedForFromTrustedProxy_False(string forwardedFor)
    {
        var environment = Environment("192.0.2.1", forwardedFor.Split('|'));

        Assert.That(Allows(Policy, environment), Is.False);
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("not-an-address")]
    [TestCase("10.1.2.3:80")]
    [TestCase(" 10.1.2.3")]
    [TestCase("010.1.2.3")]
    public void Allows_MissingOrUnparseableRemoteAddress_False(string? remote)
    {
        Assert.That(Allows(Policy, Environment(remote, forwardedFor: null)), Is.False);
        Assert.That(Allows(Policy, Environment(remote, new[] { "10.1.2.3" })), Is.False);
    }

    [Test]
    public void Allows_RemoteAddressNotAString_False()
    {
        var environment = Environment(null, forwardedFor: null);
        environment[OwinKeys.RemoteIpAddress] = IPAddress.Parse("10.1.2.3");

        Assert.That(Allows(Policy, environment), Is.False);
    }

    [Test]
    public void Allows_PeerWithIPv6Zone_ZoneIgnored()
    {
        var policy = Create("fe80::/10", "");

        Assert.That(Allows(policy, Environment("fe80::1%2", forwardedFor: null)), Is.True);
        Assert.That(Allows(policy, Environment("fe80::1%eth0", forwardedFor: null)), Is.True);
        Assert.That(Allows(policy, Environment("fe80::1%", forwardedFor: null)), Is.False);
    }

    [TestCase("X-Forwarded-For", false)]
    [TestCase("x-forwarded-for", false)]
    [TestCase("X-FORWARDED-FOR", false)]
    [TestCase("x-forwarded-for", true)]
    [TestCase("X-Forwarded-For", true)]
    public void Allows_HeaderNameInAnyCase_Honoured(string headerName, bool caseInsensitiveDictionary)
    {
        var headers = new Dictionary<string, string[]>(caseInsensitiveDictionary ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal)
        {
            ["Host"] = new[] { "localhost" },
            [headerName] = new[] { "203.0.113.9" },
        };
        var environment = Environment("10.9.0.5", forwardedFor: null);
        environment[OwinKeys.RequestHeaders] = headers;

        Assert.That(Allows(Policy, environment), Is.False, "the forwarded client, not the allowed proxy, decides");
    }

    [Test]
    public void Allows_HeadersDictionaryMissingOrOfOtherType_PeerDecides()
    {
        var environment = Environment("10.9.0.5", forwardedFor: null);
        environment.Remove(OwinKeys.RequestHeaders);
        Assert.That(Allows(Policy, environment), Is.True);

        environment[OwinKeys.RequestHeaders] = new Dictionary<string, string> { ["X-Forwarded-For"] = "203.0.113.9" };
        Assert.That(Allows(Policy, environment), Is.True);
    }

    [Test]
    public void Allows_HeaderWithNoValues_PeerDecides()
    {
        Assert.That(Allows(Policy, Environment("10.9.0.5", Array.Empty<string>())), Is.True);
        Assert.That(Allows(Policy, Environment("192.0.2.1", Array.Empty<string>())), Is.False);
    }

    [Test]
    public void Allows_NoAllowedNetworks_DeniesEveryone()
    {
        var policy = Create("", "192.0.2.0/24");

        Assert.That(Allows(policy, Environment("10.1.2.3", forwardedFor: null)), Is.False);
        Assert.That(Allows(policy, Environment("192.0.2.1", new[] { "::1" })), Is.False);
    }

    [Test]
    public void Allows_NoTrustedProxies_NeverReadsForwardedFor()
    {
        var policy = Create("10.0.0.0/8", "");

        Assert.That(Allows(policy, Environment("192.0.2.1", new[] { "10.1.2.3" })), Is.False);
        Assert.That(Allows(policy, Environment("10.1.2.3", new[] { "unknown" })), Is.True);
    }

    [Test]
    public void Constructor_ListsChangedAfterwards_PolicyKeepsItsSnapshot()
    {
        var allowed = new List<IpNetwork> { Network("10.0.0.0/8") };
        var policy = new ClientAccessPolicy(allowed, new List<IpNetwork>());

        allowed.Clear();

        Assert.That(Allows(policy, Environment("10.1.2.3", forwardedFor: null)), Is.True);
    }

    [Test]
    public void Constructor_NullList_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => _ = new ClientAccessPolicy(null!, Array.Empty<IpNetwork>()));
        Assert.Throws<ArgumentNullException>(() => _ = new ClientAccessPolicy(Array.Empty<IpNetwork>(), null!));
    }

    // Reads the peer and the header as the middleware does (OwinHeaders.Find, a remote address that is a string).
    private static bool Allows(ClientAccessPolicy policy, Dictionary<string, object> environment) =>
        policy.Allows(
            environment.TryGetValue(OwinKeys.RemoteIpAddress, out var remote) ? remote as string : null,
            OwinHeaders.Find(environment, ForwardedFor.HeaderName));

    private static ClientAccessPolicy Create(string allowed, string trusted) =>
        new(Networks(allowed), Networks(trusted));

    private static IpNetwork[] Networks(string list) =>
        list.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Network).ToArray();

    private static IpNetwork Network(string text)
    {
        Assert.That(IpNetwork.TryParse(text, out var network), Is.True, text);
        return network;
    }

    private static Dictionary<string, object> Environment(string? remote, string[]? forwardedFor)
    {
        var headers = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase) { ["Host"] = new[] { "localhost" } };
        if (forwardedFor is not null)
        {
            headers["X-Forwarded-For"] = forwardedFor;
        }

        var environment = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [OwinKeys.RequestMethod] = "GET",
            [OwinKeys.RequestPath] = "/healthz/status",
            [OwinKeys.RequestHeaders] = headers,
        };
        if (remote is not null)
        {
            environment[OwinKeys.RemoteIpAddress] = remote;
        }

        return environment;
    }
}
