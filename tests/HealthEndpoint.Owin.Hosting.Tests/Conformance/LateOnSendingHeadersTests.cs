using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Hosting.Tests.Conformance;

/// <summary>
/// An app that fails after its response started cannot look successful: registering <c>server.OnSendingHeaders</c>
/// after 100 KB went out (streamed, chunked) throws, and the host cuts the connection so that the client sees a
/// broken body, never a complete-looking 200. The control: the same app without the late registration ends cleanly.
/// </summary>
[TestFixture(HostKind.HttpListener)]
[TestFixture(HostKind.Kestrel)]
public sealed class LateOnSendingHeadersTests : HostFixture
{
    private const int Written = 100 * 1024;

    public LateOnSendingHeadersTests(HostKind host)
        : base(host)
    {
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task OnSendingHeadersAfter100KB_ClientSeesABrokenResponse(bool registerLate)
    {
        await using var server = await StartAsync(async environment =>
        {
            var body = ScenarioApp.ResponseBody(environment);
            await body.WriteAsync(new byte[Written]);
            if (registerLate)
            {
                var register = (Action<Action<object>, object>)environment["server.OnSendingHeaders"];
                register(_ => { }, new object());
            }
        });
        using var connection = await server.ConnectAsync();
        await connection.SendAsync(server.Request("GET", "/late"));

        string outcome;
        try
        {
            var response = await connection.ReadResponseAsync();
            outcome = $"complete: {response}";
        }
        catch (Exception exception) when (exception is EndOfStreamException or SocketException or IOException or TimeoutException or FormatException)
        {
            outcome = $"broken: {exception.GetType().Name}: {exception.Message}";
        }

        TestContext.Progress.WriteLine($"{Host}: {(registerLate ? "late OnSendingHeaders" : "control, no late registration")} -> {outcome}");
        Assert.That(outcome, registerLate ? Does.StartWith("broken") : Does.StartWith("complete: HTTP/1.1 200"));
    }
}
