using System;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Host.Kestrel;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Hosting.Tests.Kestrel;

/// <summary>
/// Which addresses a prefix binds on the Kestrel host: <c>localhost</c> and <c>+</c> answer on IPv4 and IPv6
/// loopback, an address only on itself; prefixes Kestrel cannot honour as written are refused with the reason.
/// </summary>
[TestFixture]
public sealed class KestrelPrefixTests
{
    [TestCase("localhost", true, true)]
    [TestCase("+", true, true)]
    [TestCase("*", true, true)]
    [TestCase("0.0.0.0", true, false)]
    [TestCase("127.0.0.1", true, false)]
    [TestCase("[::1]", false, true)]
    public async Task Prefix_Host_AnswersOnTheAddressesItNames(string host, bool ipv4, bool ipv6)
    {
        var port = FreeTcpPort.Next();
        var options = new KestrelOwinServerOptions();
        options.Prefixes.Add(string.Create(CultureInfo.InvariantCulture, $"http://{host}:{port}/"));
        await using var server = new KestrelOwinServer(ScenarioApp.Create(), options);
        await server.StartAsync();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        var answers = (await PingsAsync(client, $"http://127.0.0.1:{port}/healthz/ping"), await PingsAsync(client, $"http://[::1]:{port}/healthz/ping"));

        Assert.That(answers, Is.EqualTo((ipv4, ipv6)));
    }

    [TestCase("https://127.0.0.1:8443/", "https needs a certificate")]
    [TestCase("http://app.example:8080/", "Kestrel binds addresses, not host names")]
    [TestCase("http://127.0.0.1:0/", "its port is not a number from 1 to 65535")]
    [TestCase("ftp://127.0.0.1/", "it must start with http://")]
    public void Prefix_NotBindableAsWritten_RefusedWithTheReason(string prefix, string reason)
    {
        var options = new KestrelOwinServerOptions();
        options.Prefixes.Add(prefix);

        var refused = Assert.Throws<ArgumentException>(() => _ = new KestrelOwinServer(ScenarioApp.Create(), options));

        Assert.That(refused!.Message, Does.Contain(prefix).And.Contain(reason));
    }

    private static async Task<bool> PingsAsync(HttpClient client, string url)
    {
        try
        {
            using var response = await client.GetAsync(new Uri(url));
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
