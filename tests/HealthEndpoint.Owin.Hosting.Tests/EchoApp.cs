using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Hosting.Core;

namespace HealthEndpoint.Owin.Hosting.Tests;

/// <summary>An app that reads the whole request body, writes it back, and keeps a copy of each environment it saw.</summary>
internal sealed class EchoApp
{
    private readonly List<Dictionary<string, object>> _environments = [];

    /// <summary>A copy of the last environment, taken when the app was called.</summary>
    public Dictionary<string, object> LastEnvironment
    {
        get
        {
            lock (_environments)
            {
                return _environments.Count > 0 ? _environments[^1] : throw new InvalidOperationException("The app was not called.");
            }
        }
    }

    public async Task InvokeAsync(IDictionary<string, object> environment)
    {
        lock (_environments)
        {
            _environments.Add(new Dictionary<string, object>(environment, StringComparer.Ordinal));
        }

        var received = new MemoryStream();
        await ((Stream)environment["owin.RequestBody"]).CopyToAsync(received);
        ScenarioApp.ResponseHeaders(environment)["Content-Type"] = ["application/octet-stream"];
        await ScenarioApp.ResponseBody(environment).WriteAsync(received.ToArray());
    }
}
