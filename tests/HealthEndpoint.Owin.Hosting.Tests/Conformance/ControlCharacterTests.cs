using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Hosting.Core;

namespace HealthEndpoint.Owin.Hosting.Tests.Conformance;

/// <summary>
/// CR, LF or another control character (HTAB apart) in <c>owin.ResponseReasonPhrase</c>, a response header value
/// or a header name never reaches the wire: the client gets exactly one response, an empty 500 with none of the
/// app's headers, and the server logs one Error. A clean phrase or a value with HTAB arrives as sent (the control).
/// </summary>
[TestFixture(HostKind.HttpListener)]
[TestFixture(HostKind.Kestrel)]
public sealed class ControlCharacterTests : HostFixture
{
    public ControlCharacterTests(HostKind host)
        : base(host)
    {
    }

    [TestCase("CRLF")]
    [TestCase("LF")]
    [TestCase("CR")]
    [TestCase("NUL")]
    [TestCase("ESC")]
    [TestCase("DEL")]
    public Task ReasonPhrase_ControlCharacter_OneEmpty500AndOneError(string kind) =>
        AssertRefusedAsync(environment => environment["owin.ResponseReasonPhrase"] =
            kind == "CRLF" ? "OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 Injected\r\nX-Injected: yes" : "Bad" + Character(kind) + "Phrase");

    [TestCase("CRLF")]
    [TestCase("LF")]
    [TestCase("CR")]
    [TestCase("NUL")]
    [TestCase("ESC")]
    [TestCase("DEL")]
    public Task HeaderValue_ControlCharacter_OneEmpty500AndOneError(string kind) =>
        AssertRefusedAsync(environment => ScenarioApp.ResponseHeaders(environment)["X-Bad"] =
            [kind == "CRLF" ? "value\r\nX-Injected: yes" : "value" + Character(kind) + "more"]);

    [TestCase("CRLF")]
    [TestCase("LF")]
    [TestCase("NUL")]
    [TestCase("DEL")]
    public Task HeaderName_ControlCharacter_OneEmpty500AndOneError(string kind) =>
        AssertRefusedAsync(environment => ScenarioApp.ResponseHeaders(environment)[kind == "CRLF" ? "X-Bad\r\nX-Injected" : "X-Bad" + Character(kind) + "Name"] = ["value"]);

    [TestCase("Custom Reason")]
    [TestCase("Tab\tReason")]
    public async Task ReasonPhrase_ControlClean_ArrivesAsSent(string phrase)
    {
        await using var server = await StartAsync(environment => AppAsync(environment, () => environment["owin.ResponseReasonPhrase"] = phrase));
        using var connection = await server.ConnectAsync();

        var transcript = await WireTranscript.ExchangeAsync(connection, server.Request("GET", "/page"));

        TestContext.Progress.WriteLine($"{Host}: {transcript}");
        Assert.That(transcript.Responses.Select(response => response.StatusLine).ToArray(), Is.EqualTo(new[] { "HTTP/1.1 200 " + phrase }), transcript.ToString());
        Assert.That(transcript.Responses[0].BodyText, Is.EqualTo("hello world"));
    }

    [Test]
    public async Task HeaderValue_ControlWithTab_ArrivesAsSent()
    {
        await using var server = await StartAsync(environment => AppAsync(environment, () => ScenarioApp.ResponseHeaders(environment)["X-Tabbed"] = ["a\tb"]));
        using var connection = await server.ConnectAsync();

        var transcript = await WireTranscript.ExchangeAsync(connection, server.Request("GET", "/page"));

        TestContext.Progress.WriteLine($"{Host}: {transcript}");
        Assert.That(transcript.Responses, Has.Count.EqualTo(1), transcript.ToString());
        Assert.That((transcript.Responses[0].Header("X-Tabbed"), transcript.Responses[0].Header("X-App")), Is.EqualTo(("a\tb", "app")));
    }

    private static string Character(string kind) => kind switch
    {
        "LF" => "\n",
        "CR" => "\r",
        "NUL" => "\0",
        "ESC" => "\u001b",
        "DEL" => "\u007f",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a control character this fixture knows"),
    };

    // The app sets status 200, a header of its own and the bad item, then writes a body.
    private static Task AppAsync(IDictionary<string, object> environment, Action misbehave)
    {
        environment["owin.ResponseStatusCode"] = 200;
        ScenarioApp.ResponseHeaders(environment)["X-App"] = ["app"];
        misbehave();
        return ScenarioApp.ResponseBody(environment).WriteAsync(ScenarioApp.Hello).AsTask();
    }

    private async Task AssertRefusedAsync(Action<IDictionary<string, object>> misbehave)
    {
        await using var server = await StartAsync(environment => AppAsync(environment, () => misbehave(environment)));
        using var connection = await server.ConnectAsync();

        var transcript = await WireTranscript.ExchangeAsync(connection, server.Request("GET", "/page"));
        var errors = await ServerLog.ErrorsAsync(server, expected: 1);

        TestContext.Progress.WriteLine($"{Host}: {transcript.StatusLineCount} status line(s): {transcript}; log: {ServerLog.Describe(errors)}");
        var response = transcript.First;
        Assert.Multiple(() =>
        {
            Assert.That(transcript.StatusLineCount, Is.EqualTo(1), $"status lines on the wire: {transcript}");
            Assert.That(transcript.Responses, Has.Count.EqualTo(1), transcript.ToString());
            Assert.That(transcript.Unparsed, Is.Empty, "bytes after the response");
            Assert.That(response?.StatusCode, Is.EqualTo(500), transcript.ToString());
            Assert.That(response?.Header("Content-Length"), Is.EqualTo("0"));
            Assert.That(response?.Body, Is.Empty);
            Assert.That(response?.HeaderNames.Except(HostHeaderNames.Append("Content-Length").Append("Connection"), StringComparer.OrdinalIgnoreCase), Is.Empty, "headers beside the host's own");
            Assert.That(errors, Has.Count.EqualTo(1), $"Error entries: {ServerLog.Describe(errors)}");
        });
    }
}
