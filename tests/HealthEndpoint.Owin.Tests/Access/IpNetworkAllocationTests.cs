using System.Net;

namespace HealthEndpoint.Owin.Tests.Access;

/// <summary>Matching a client against the allowlist allocates nothing on .NET (kept apart from
/// <see cref="IpNetworkTests"/>, which the .NET Framework pass also compiles, where the address bytes are copied).</summary>
[TestFixture]
public sealed class IpNetworkAllocationTests
{
    [Test]
    public void Contains_IPv4AndIPv6Addresses_AllocatesNothing()
    {
        var networks = new[] { NetworkProbes.Parse("10.0.0.0/8"), NetworkProbes.Parse("fd00::/8") };
        var first = new[] { networks[0] };
        var addresses = new[] { IPAddress.Parse("10.1.2.3"), IPAddress.Parse("::ffff:10.1.2.3"), IPAddress.Parse("fd00::1") };
        var hits = 0;
        hits += IpNetwork.AnyContains(networks, addresses[0]) ? 1 : 0;

        var before = System.GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            hits += IpNetwork.AnyContains(first, addresses[i % 3]) ? 1 : 0;
            hits += IpNetwork.AnyContains(networks, addresses[i % 3]) ? 1 : 0;
        }

        Assert.That(System.GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        Assert.That(hits, Is.GreaterThan(1000));
    }
}
