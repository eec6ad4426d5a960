using System.Linq;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Hosting.Core;

namespace HealthEndpoint.Owin.Hosting.Tests.Conformance;

/// <summary>
/// A status outside 100-599, a 101 without an upgrade, or another 1xx as the final status is not sent: the client
/// gets one empty 500 and the server logs one Error. Statuses inside the range go out as set (the control).
/// </summary>
[TestFixture(HostKind.HttpListener)]
[TestFixture(HostKind.Kestrel)]
public sealed class StatusCodeTests : HostFixture
{
    public StatusCodeTests(HostKind host)
        : base(host)
    {
    }

    [TestCase(99)]
    [TestCase(600)]
    [TestCase(1000)]
    [TestCase(-1)]
    [TestCase(101)]
    [TestCase(100)]
    [TestCase(102)]
    [TestCase(103)]
    public async Task AppStatus_NotAFinalStatus_OneEmpty500AndOneError(int status)
    {
        await using var server = await StartAsync(status);
        using var connection = await server.ConnectAsync();

        var transcript = await WireTranscript.ExchangeAsync(connection, server.Request("GET", "/page"));
        var errors = await ServerLog.ErrorsAsync(server, expected: 1);

        TestContext.Progress.WriteLine($"{Host}: status {status} -> {transcript}; log: {ServerLog.Describe(errors)}");
        Assert.Multiple(() =>
        {
            Assert.That(transcript.Responses.Select(response => response.StatusCode).ToArray(), Is.EqualTo(new[] { 500 }), transcript.ToString());
            Assert.That(transcript.First?.Header("Content-Length"), Is.EqualTo("0"));
            Assert.That(transcript.First?.Values("X-App"), Is.Empty, "the app's headers");
            Assert.That(transcript.Unparsed, Is.Empty, "bytes after the response");
            Assert.That(errors, Has.Count.EqualTo(1), $"Error entries: {ServerLog.Describe(errors)}");
        });
    }

    [TestCase(299)]
    [TestCase(599)]
    public async Task AppStatus_ControlInsideTheRange_SentAsSet(int status)
    {
        await using var server = await StartAsync(status);
        using var connection = await server.ConnectAsync();

        var transcript = await WireTranscript.ExchangeAsync(connection, server.Request("GET", "/page"));

        TestContext.Progress.WriteLine($"{Host}: status {status} -> {transcript}");
        Assert.That(transcript.Responses.Select(response => (response.StatusCode, response.BodyText)).ToArray(), Is.EqualTo(new[] { (status, "hello world") }), transcript.ToString());
        Assert.That(server.Logs.Entries, Is.Empty);
    }

    private Task<TestServer> StartAsync(int status) => StartAsync(environment =>
    {
        environment["owin.ResponseStatusCode"] = status;
        ScenarioApp.ResponseHeaders(environment)["X-App"] = ["app"];
        return ScenarioApp.ResponseBody(environment).WriteAsync(ScenarioApp.Hello).AsTask();
    });
}
