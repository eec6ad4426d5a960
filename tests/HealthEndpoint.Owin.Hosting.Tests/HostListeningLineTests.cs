using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Host.HttpListener;
using HealthEndpoint.Owin.Host.Kestrel;
using HealthEndpoint.Owin.Testing;
using Microsoft.Extensions.Logging;

namespace HealthEndpoint.Owin.Hosting.Tests;

/// <summary>
/// The one line an operator looks for after starting the app: "Now listening on: ..." (Information, event 112
/// <c>Listening</c>), naming every prefix the host serves, written once the prefixes are bound. The control: a host
/// whose bind fails writes no such line, so the line is proof of listening, not of trying.
/// </summary>
[TestFixture(HostKind.HttpListener)]
[TestFixture(HostKind.Kestrel)]
public sealed class HostListeningLineTests : HostFixture
{
    public HostListeningLineTests(HostKind host)
        : base(host)
    {
    }

    [Test]
    public async Task StartAsync_TwoPrefixes_LogsOneInformationLineNamingBoth()
    {
        await using var server = await StartAsync(ScenarioApp.Create(), configure: settings => settings.MorePrefixPaths.Add("/rt/"));

        var lines = server.StartLogs.Where(entry => entry.EventId.Name == "Listening").ToList();
        TestContext.Out.WriteLine(string.Join(Environment.NewLine, lines.Select(line => line.Message)));

        var expected = string.Create(CultureInfo.InvariantCulture, $"Now listening on: http://127.0.0.1:{server.Ports[0]}/, http://127.0.0.1:{server.Ports[1]}/rt/");
        Assert.That(lines.Select(line => (line.Level, line.EventId.Id, line.Message)), Is.EqualTo(new[] { (LogLevel.Information, 112, expected) }));
    }

    [Test]
    public async Task Control_StartAsyncOnAPortAlreadyTaken_ThrowsAndLogsNoListeningLine()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var prefix = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}/");
        var logs = new RecordingLoggerFactory();

        var failed = Host == HostKind.Kestrel
            ? await KestrelStartFailsAsync(prefix, logs)
            : await HttpListenerStartFailsAsync(prefix, logs);

        Assert.That(failed, Is.True, "the bind fails: the port is taken");
        Assert.That(logs.Entries.Where(entry => entry.EventId.Name == "Listening"), Is.Empty);
    }

    private static async Task<bool> KestrelStartFailsAsync(string prefix, RecordingLoggerFactory logs)
    {
        var options = new KestrelOwinServerOptions { Logger = logs.CreateLogger(nameof(KestrelOwinServer)) };
        options.Prefixes.Add(prefix);
        await using var server = new KestrelOwinServer(ScenarioApp.Create(), options);
        try
        {
            await server.StartAsync();
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static async Task<bool> HttpListenerStartFailsAsync(string prefix, RecordingLoggerFactory logs)
    {
        var options = new HttpListenerOwinServerOptions { Logger = logs.CreateLogger(nameof(HttpListenerOwinServer)) };
        options.Prefixes.Add(prefix);
        await using var server = new HttpListenerOwinServer(ScenarioApp.Create(), options);
        try
        {
            await server.StartAsync();
            return false;
        }
        catch (HttpListenerException)
        {
            return true;
        }
    }
}
