using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Hosting.Core;

namespace HealthEndpoint.Owin.Hosting.Tests;

/// <summary>The OWIN 1.0 environment the server builds, and the response features (headers, callbacks) it honours.</summary>
[TestFixture(HostKind.HttpListener)]
[TestFixture(HostKind.Kestrel)]
public sealed class HostEnvironmentTests : HostFixture
{
    public HostEnvironmentTests(HostKind host)
        : base(host)
    {
    }

    [TestCase("owin.Version", "1.0")]
    [TestCase("owin.RequestMethod", "GET")]
    [TestCase("owin.RequestScheme", "http")]
    [TestCase("owin.RequestPathBase", "/rt")]
    [TestCase("owin.RequestPath", "/healthz/ping")]
    [TestCase("owin.RequestQueryString", "probe=1&name=a%20b")]
    [TestCase("owin.RequestProtocol", "HTTP/1.1")]
    [TestCase("server.RemoteIpAddress", "127.0.0.1")]
    [TestCase("server.LocalIpAddress", "127.0.0.1")]
    [TestCase("server.IsLocal", true)]
    public async Task Environment_RequestUnderPrefixWithPath_HasOwinValue(string key, object expected)
    {
        var app = new EchoApp();
        await using var server = await StartAsync(app.InvokeAsync, pathBase: "/rt/");

        var response = await server.SendAsync("GET", "/rt/healthz/ping?probe=1&name=a%20b");

        Assert.That(response.StatusCode, Is.EqualTo(200), response.ToString());
        Assert.That(app.LastEnvironment[key], Is.EqualTo(expected));
    }

    [Test]
    public async Task Environment_PortsAndRequestHeaders_AsSentOnTheWire()
    {
        var app = new EchoApp();
        await using var server = await StartAsync(app.InvokeAsync);
        using var connection = await server.ConnectAsync();

        await connection.SendAsync(server.Request("GET", "/", "X-Probe: abc", "Accept: text/plain"));
        await connection.ReadResponseAsync();

        var environment = app.LastEnvironment;
        var headers = (IDictionary<string, string[]>)environment["owin.RequestHeaders"];
        Assert.Multiple(() =>
        {
            Assert.That(environment["server.LocalPort"], Is.EqualTo(server.Port.ToString(CultureInfo.InvariantCulture)));
            Assert.That(int.Parse((string)environment["server.RemotePort"], CultureInfo.InvariantCulture), Is.Positive.And.Not.EqualTo(server.Port));
            Assert.That(headers["x-probe"], Is.EqualTo(new[] { "abc" }), "header names are case-insensitive");
            Assert.That(headers["Accept"], Is.EqualTo(new[] { "text/plain" }));
            Assert.That(headers["Host"], Is.EqualTo(new[] { $"127.0.0.1:{server.Port}" }));
        });
    }

    // The Kestrel host's environment is its own IDictionary (fixed slots for the host's keys); the HttpListener
    // host's is a Dictionary, so the two fixtures compare it with the reference behaviour.
    [Test]
    public async Task Environment_AppAddsReadsAndRemovesKeys_BehavesAsAnOrdinalDictionary()
    {
        var observed = new List<string>();
        await using var server = await StartAsync(environment =>
        {
            var before = environment.Count;
            environment["app.Key"] = "value";
            environment.Add("app.Other", 1);
            observed.Add("duplicate Add throws: " + Throws(() => environment.Add("app.Key", "again")));
            observed.Add("known key Add throws: " + Throws(() => environment.Add("owin.RequestPath", "/x")));
            observed.Add("remove known: " + environment.Remove("server.IsLocal") + ", again: " + environment.Remove("server.IsLocal"));
            observed.Add("contains removed: " + environment.ContainsKey("server.IsLocal") + ", case-sensitive: " + environment.ContainsKey("OWIN.REQUESTPATH"));
            observed.Add("count: " + (environment.Count - before));
            observed.Add("missing: " + environment.TryGetValue("app.Missing", out _) + ", indexer throws: " + Throws(() => _ = environment["app.Missing"]));
            var copy = new KeyValuePair<string, object>[environment.Count];
            environment.CopyTo(copy, 0);
            observed.Add("enumerated = count: " + (environment.AsEnumerable().Count() == environment.Count && copy.Select(entry => entry.Key).Distinct().Count() == copy.Length));
            observed.Add("keys: " + string.Join(",", environment.Keys.Where(key => key.StartsWith("app.", StringComparison.Ordinal)).Order(StringComparer.Ordinal)));
            environment["owin.ResponseReasonPhrase"] = "Fine";
            return Task.CompletedTask;
        });

        var response = await server.SendAsync("GET", "/");

        Assert.That(response.StatusLine, Is.EqualTo("HTTP/1.1 200 Fine"));
        Assert.That(observed, Is.EqualTo(new[]
        {
            "duplicate Add throws: True",
            "known key Add throws: True",
            "remove known: True, again: False",
            "contains removed: False, case-sensitive: False",
            "count: 1",
            "missing: False, indexer throws: True",
            "enumerated = count: True",
            "keys: app.Key,app.Other",
        }));
    }

    [Test]
    public async Task Environment_ControlPrefixAtRoot_EmptyPathBaseAndFullPath()
    {
        var app = new EchoApp();
        await using var server = await StartAsync(app.InvokeAsync);

        await server.SendAsync("GET", "/rt/healthz/ping");

        Assert.That(
            (app.LastEnvironment["owin.RequestPathBase"], app.LastEnvironment["owin.RequestPath"], app.LastEnvironment["owin.RequestQueryString"]),
            Is.EqualTo(((object)string.Empty, (object)"/rt/healthz/ping", (object)string.Empty)));
    }

    [TestCase("Content-Length")]
    [TestCase("chunked")]
    public async Task RequestBody_Post_EchoedByteForByte(string framing)
    {
        var app = new EchoApp();
        await using var server = await StartAsync(app.InvokeAsync);
        using var connection = await server.ConnectAsync();
        var body = Encoding.UTF8.GetBytes("name=value&emoji=\u263a&" + new string('z', 20_000));

        if (framing == "chunked")
        {
            await connection.SendAsync(server.Request("POST", "/echo", "Transfer-Encoding: chunked"));
            await connection.SendAsync(Chunked(body, chunkSize: 7_000));
        }
        else
        {
            await connection.SendAsync(server.Request("POST", "/echo", "Content-Length: " + body.Length.ToString(CultureInfo.InvariantCulture)));
            await connection.SendAsync(body);
        }

        var response = await connection.ReadResponseAsync();
        Assert.That(response.Body, Is.EqualTo(body));
    }

    [Test]
    public async Task ResponseHeaders_TwoSetCookieValues_EachArrivesOnItsOwnLine()
    {
        string[] cookies = ["a=1; Path=/; HttpOnly", "b=2; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/"];
        await using var server = await StartAsync(environment =>
        {
            ScenarioApp.ResponseHeaders(environment)["Set-Cookie"] = cookies;
            ScenarioApp.ResponseHeaders(environment)["X-Multi"] = ["one", "two"];
            return Task.CompletedTask;
        });

        var response = await server.SendAsync("GET", "/");

        Assert.Multiple(() =>
        {
            Assert.That(response.Values("Set-Cookie"), Is.EqualTo(cookies), response.ToString());
            Assert.That(string.Join(", ", response.Values("X-Multi")), Is.EqualTo("one, two"), "other headers may be folded into one line");
        });
    }

    [TestCase(false, TestName = "OnSendingHeaders_BufferedResponse_CallbackRunsBeforeHeadersGoOut")]
    [TestCase(true, TestName = "OnSendingHeaders_FlushedResponse_CallbackRunsBeforeHeadersGoOut")]
    public async Task OnSendingHeaders_CallbackChangesResponse_ChangesArrive(bool flush)
    {
        var calls = 0;
        await using var server = await StartAsync(async environment =>
        {
            var register = (Action<Action<object>, object>)environment["server.OnSendingHeaders"];
            register(
                state =>
                {
                    calls++;
                    var owin = (IDictionary<string, object>)state;
                    ScenarioApp.ResponseHeaders(owin)["X-Added"] = ["by callback"];
                    owin["owin.ResponseStatusCode"] = 202;
                },
                environment);
            var body = ScenarioApp.ResponseBody(environment);
            await body.WriteAsync("accepted"u8.ToArray());
            if (flush)
            {
                await body.FlushAsync();
            }
        });

        var response = await server.SendAsync("GET", "/");

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(202), response.ToString());
            Assert.That(response.Header("X-Added"), Is.EqualTo("by callback"));
            Assert.That(response.BodyText, Is.EqualTo("accepted"));
            Assert.That(calls, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task OnSendingHeaders_ControlNoCallback_HeaderAbsent()
    {
        await using var server = await StartAsync(environment => ScenarioApp.ResponseBody(environment).WriteAsync("accepted"u8.ToArray()).AsTask());

        var response = await server.SendAsync("GET", "/");

        Assert.That((response.StatusCode, response.Header("X-Added")), Is.EqualTo((200, (string?)null)));
    }

    private static bool Throws(Action action)
    {
        try
        {
            action();
            return false;
        }
        catch (Exception exception) when (exception is ArgumentException or KeyNotFoundException)
        {
            return true;
        }
    }

    private static byte[] Chunked(byte[] body, int chunkSize)
    {
        var framed = new MemoryStream();
        for (var offset = 0; offset < body.Length; offset += chunkSize)
        {
            var size = Math.Min(chunkSize, body.Length - offset);
            framed.Write(Encoding.ASCII.GetBytes(size.ToString("x", CultureInfo.InvariantCulture) + "\r\n"));
            framed.Write(body, offset, size);
            framed.Write("\r\n"u8);
        }

        framed.Write("0\r\n\r\n"u8);
        return framed.ToArray();
    }
}
