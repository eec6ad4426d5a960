using System;
using System.Collections.Generic;
using System.Reflection;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Framework.Tests;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>
/// The middleware class as Katana's <c>app.Use(typeof(HealthEndpointMiddleware), options)</c> uses it: Katana is not
/// served here, so these tests do what it does, <c>Activator.CreateInstance(type, next, args…)</c>, then call the
/// public <c>Invoke(IDictionary&lt;string, object&gt;)</c> by reflection.
/// </summary>
[TestFixture]
public sealed class KatanaActivationTests
{
    [Test]
    public async Task KatanaActivation_PingRequest_AnswersWithoutCallingNext()
    {
        var app = new RecordingApp();
        var environment = OwinEnvironment.Create("GET", "/healthz/ping");

        await InvokeAsync(Activate(app.Invoke, new HealthEndpointOptions()), environment);

        Assert.That(environment.StatusCode(), Is.EqualTo(200));
        Assert.That(environment.ResponseBodyText(), Is.EqualTo("pong"));
        Assert.That(app.Calls, Is.Zero);
    }

    [TestCase("GET", "/")]
    [TestCase("POST", "/orders")]
    [TestCase("GET", "/healthz/pingx")]
    public async Task KatanaActivation_OtherRequest_CallsNextOnceWithSameEnvironment(string method, string path)
    {
        var app = new RecordingApp();
        var environment = OwinEnvironment.Create(method, path);

        await InvokeAsync(Activate(app.Invoke, new HealthEndpointOptions()), environment);

        Assert.That(app.Calls, Is.EqualTo(1));
        Assert.That(app.Environments[0], Is.SameAs(environment));
    }

    [Test]
    public async Task KatanaActivation_StatusWithHungCheck_FailsAtDeadline()
    {
        var options = new HealthEndpointOptions
        {
            Database = _ => new TaskCompletionSource<bool>().Task,
            CheckTimeout = TimeSpan.FromMilliseconds(300),
        };
        var environment = OwinEnvironment.Create("GET", "/healthz/status");

        await InvokeAsync(Activate(new RecordingApp().Invoke, options), environment);

        Assert.That(environment.StatusCode(), Is.EqualTo(503));
        Assert.That(environment.ResponseBodyText(), Does.Contain("\"database\":\"fail\""));
    }

    [Test]
    public void KatanaActivation_InvalidOption_ThrowsConfigurationExceptionNamingIt()
    {
        var options = new HealthEndpointOptions { PingPath = "healthz" };

        var thrown = Assert.Throws<TargetInvocationException>(() => Activate(new RecordingApp().Invoke, options));

        Assert.That(thrown!.InnerException, Is.TypeOf<HealthEndpointConfigurationException>());
        Assert.That(thrown.InnerException!.Message, Does.Contain("PingPath"));
    }

    [Test]
    public void KatanaActivation_WithoutOptions_FindsNoConstructor()
    {
        // Control: the activation really goes through constructor lookup; `app.Use(typeof(T))` without options fails.
        AppFunc next = new RecordingApp().Invoke;

        Assert.Throws<MissingMethodException>(() => Activator.CreateInstance(typeof(HealthEndpointMiddleware), next));
    }

    private static object Activate(AppFunc next, HealthEndpointOptions options) =>
        Activator.CreateInstance(typeof(HealthEndpointMiddleware), next, options)!;

    private static Task InvokeAsync(object middleware, IDictionary<string, object> environment)
    {
        var invoke = middleware.GetType().GetMethod("Invoke", [typeof(IDictionary<string, object>)])
            ?? throw new MissingMethodException(middleware.GetType().Name, "Invoke");
        return (Task)invoke.Invoke(middleware, [environment])!;
    }
}
