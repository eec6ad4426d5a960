using System;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Tests;

/// <summary>Invalid options stop construction with one exception whose message names each bad setting.</summary>
[TestFixture]
public sealed class OptionsValidatorTests
{
    private static readonly HealthCheck Ok = _ => Task.CompletedTask;

    [TestCase("healthz/ping", "HealthEndpointOptions.PingPath", "must start with '/'")]
    [TestCase("", "HealthEndpointOptions.PingPath", "must be set")]
    [TestCase(null, "HealthEndpointOptions.PingPath", "must be set")]
    [TestCase("/", "HealthEndpointOptions.PingPath", "at least one segment")]
    [TestCase("/healthz/ping?x=1", "HealthEndpointOptions.PingPath", "without query")]
    [TestCase("/healthz/ pong", "HealthEndpointOptions.PingPath", "whitespace")]
    public void Constructor_InvalidPingPath_ThrowsNamingTheKey(string? path, string key, string problem)
    {
        var options = new HealthEndpointOptions { PingPath = path! };

        var exception = Assert.Throws<HealthEndpointConfigurationException>(() => Create(options));

        Assert.That(exception!.Keys, Is.EqualTo(new[] { key }));
        Assert.That(exception.Message, Does.Contain(key).And.Contain(problem));
    }

    [TestCase("/healthz/ping", "/healthz/ping")]
    [TestCase("/healthz/ping", "/HEALTHZ/PING/")]
    public void Constructor_PingPathEqualsStatusPath_ThrowsNamingStatusPath(string ping, string status)
    {
        var options = new HealthEndpointOptions { PingPath = ping, StatusPath = status };

        var exception = Assert.Throws<HealthEndpointConfigurationException>(() => Create(options));

        Assert.That(exception!.Keys, Is.EqualTo(new[] { "HealthEndpointOptions.StatusPath" }));
        Assert.That(exception.Message, Does.Contain("must differ from HealthEndpointOptions.PingPath"));
    }

    [TestCase("livez", null, null, "HealthEndpointOptions.LivePath", "must start with '/'")]
    [TestCase(null, "/", null, "HealthEndpointOptions.ReadyPath", "at least one segment")]
    [TestCase(null, null, "/startupz?x", "HealthEndpointOptions.StartupPath", "without query")]
    [TestCase("/healthz/ping/", null, null, "HealthEndpointOptions.LivePath", "must differ from HealthEndpointOptions.PingPath")]
    [TestCase(null, "/HEALTHZ/STATUS", null, "HealthEndpointOptions.ReadyPath", "must differ from HealthEndpointOptions.StatusPath")]
    [TestCase("/probe", "/probe", null, "HealthEndpointOptions.ReadyPath", "must differ from HealthEndpointOptions.LivePath")]
    [TestCase(null, "/readyz", "/readyz/", "HealthEndpointOptions.StartupPath", "must differ from HealthEndpointOptions.ReadyPath")]
    public void Constructor_BadProbePath_ThrowsNamingTheKey(string? live, string? ready, string? startup, string key, string problem)
    {
        var options = new HealthEndpointOptions { LivePath = live, ReadyPath = ready, StartupPath = startup };

        var exception = Assert.Throws<HealthEndpointConfigurationException>(() => Create(options));

        Assert.That(exception!.Keys, Is.EqualTo(new[] { key }));
        Assert.That(exception.Message, Does.Contain(problem));
    }

    [Test]
    public void Constructor_NullLifecycle_ThrowsNamingLifecycle()
    {
        var options = new HealthEndpointOptions { Lifecycle = null! };

        var exception = Assert.Throws<HealthEndpointConfigurationException>(() => Create(options));

        Assert.That(exception!.Keys, Is.EqualTo(new[] { "HealthEndpointOptions.Lifecycle" }));
    }

    [TestCase(-1)]
    [TestCase(0)]
    public void Constructor_NonPositiveTimeout_ThrowsNamingCheckTimeout(int seconds)
    {
        var options = new HealthEndpointOptions { CheckTimeout = TimeSpan.FromSeconds(seconds) };

        var exception = Assert.Throws<HealthEndpointConfigurationException>(() => Create(options));

        Assert.That(exception!.Keys, Is.EqualTo(new[] { "HealthEndpointOptions.CheckTimeout" }));
    }

    [Test]
    public void Constructor_NegativeCacheDuration_ThrowsNamingStatusCacheDuration()
    {
        var options = new HealthEndpointOptions { StatusCacheDuration = TimeSpan.FromSeconds(-1) };

        var exception = Assert.Throws<HealthEndpointConfigurationException>(() => Create(options));

        Assert.That(exception!.Keys, Is.EqualTo(new[] { "HealthEndpointOptions.StatusCacheDuration" }));
    }

    [TestCase("Queue", "invalid name 'Queue'")]
    [TestCase("queue depth", "invalid name 'queue depth'")]
    [TestCase("", "invalid name ''")]
    [TestCase("database", "reserved name 'database'")]
    [TestCase("redis", "reserved name 'redis'")]
    [TestCase("shutdown", "reserved name 'shutdown'")]
    public void Constructor_BadCustomCheckName_ThrowsNamingChecks(string name, string problem)
    {
        var options = new HealthEndpointOptions();
        options.Checks.Add(new NamedHealthCheck(name, Ok));

        var exception = Assert.Throws<HealthEndpointConfigurationException>(() => Create(options));

        Assert.That(exception!.Keys, Is.EqualTo(new[] { "HealthEndpointOptions.Checks" }));
        Assert.That(exception.Message, Does.Contain(problem));
    }

    [Test]
    public void Constructor_DuplicateCustomCheckNames_Throws()
    {
        var options = new HealthEndpointOptions();
        options.Checks.Add(new NamedHealthCheck("queue", Ok));
        options.Checks.Add(new NamedHealthCheck("queue", Ok));

        var exception = Assert.Throws<HealthEndpointConfigurationException>(() => Create(options));

        Assert.That(exception!.Message, Does.Contain("'queue' more than once"));
    }

    [Test]
    public void Constructor_SeveralProblems_NamesEveryKeyInOneMessage()
    {
        var options = new HealthEndpointOptions { PingPath = "ping", CheckTimeout = TimeSpan.Zero, StatusCacheDuration = TimeSpan.FromSeconds(-1) };

        var exception = Assert.Throws<HealthEndpointConfigurationException>(() => Create(options));

        Assert.That(
            exception!.Keys,
            Is.EqualTo(new[] { "HealthEndpointOptions.PingPath", "HealthEndpointOptions.CheckTimeout", "HealthEndpointOptions.StatusCacheDuration" }));
    }

    [Test]
    public void Constructor_ValidCustomNames_AreAccepted()
    {
        var options = new HealthEndpointOptions();
        options.Checks.Add(new NamedHealthCheck("queue.depth-2_x", Ok));

        Assert.DoesNotThrow(() => Create(options));
    }

    [Test]
    public void Constructor_NullArguments_ThrowWithParameterName()
    {
        var app = new RecordingApp();

        Assert.That(Assert.Throws<ArgumentNullException>(() => _ = new HealthEndpointMiddleware(null!, new HealthEndpointOptions()))!.ParamName, Is.EqualTo("next"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => _ = new HealthEndpointMiddleware(app.Invoke, null!))!.ParamName, Is.EqualTo("options"));
    }

    private static void Create(HealthEndpointOptions options) => _ = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);
}
