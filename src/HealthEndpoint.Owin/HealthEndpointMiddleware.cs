using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace Owin.HealthEndpoint;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>
/// OWIN middleware that answers the ping and status paths itself, without calling the app it wraps, and
/// passes every other request to that app untouched.
/// </summary>
/// <remarks>
/// It follows the OWIN middleware-class convention, so a Katana app can add it with
/// <c>app.Use(typeof(HealthEndpointMiddleware), options)</c>; this library does not reference Owin.dll.
/// <see cref="HealthEndpoint.Wrap"/> is the same thing for code that composes <c>AppFunc</c>s by hand.
/// </remarks>
public sealed class HealthEndpointMiddleware
{
    private readonly AppFunc _next;
    private readonly HealthPath _pingPath;
    private readonly HealthPath _statusPath;
    private readonly HealthCheckRunner _runner;

    /// <summary>Creates the middleware, validating and copying <paramref name="options"/>.</summary>
    /// <param name="next">The app to call for every request that is not a health request.</param>
    /// <param name="options">The paths, checks and limits.</param>
    /// <exception cref="HealthEndpointConfigurationException">A setting is invalid; the message names it.</exception>
    public HealthEndpointMiddleware(AppFunc next, HealthEndpointOptions options)
    {
        _next = next ?? throw new ArgumentNullException(nameof(next));
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        OptionsValidator.Validate(options, nameof(HealthEndpointOptions) + ".");
        _pingPath = new HealthPath(options.PingPath);
        _statusPath = new HealthPath(options.StatusPath);

        var slots = new List<CheckSlot>
        {
            new(StatusJson.DatabaseCheckName, options.Database),
            new(StatusJson.RedisCheckName, options.Redis),
        };
        foreach (var registration in options.Checks)
        {
            slots.Add(new CheckSlot(registration.Name, registration.Check));
        }

        _runner = new HealthCheckRunner(slots, options.CheckTimeout, options.StatusCacheDuration, options.Logger);
    }

    /// <summary>Answers a health request, or calls the wrapped app with the same environment.</summary>
    /// <param name="environment">The OWIN environment of the request.</param>
    /// <returns>The task of the health response, or the wrapped app's own task.</returns>
    public Task Invoke(IDictionary<string, object> environment)
    {
        // The pass-through path is synchronous and allocation-free, and awaits nothing before the app runs:
        // under System.Web an early await would move the legacy app off its HttpContext.
        if (environment.TryGetValue(OwinKeys.RequestPath, out var value) && value is string path)
        {
            if (_pingPath.Matches(path))
            {
                return AnswerPing(environment);
            }

            if (_statusPath.Matches(path))
            {
                return AnswerStatus(environment);
            }
        }

        return _next(environment);
    }

    private static Task AnswerPing(IDictionary<string, object> environment) => RequestMethod(environment) switch
    {
        "GET" => HealthResponses.WritePingAsync(environment, includeBody: true),
        "HEAD" => HealthResponses.WritePingAsync(environment, includeBody: false),
        _ => HealthResponses.WriteMethodNotAllowedAsync(environment),
    };

    private Task AnswerStatus(IDictionary<string, object> environment)
    {
        var method = RequestMethod(environment);
        if (method != "GET" && method != "HEAD")
        {
            return HealthResponses.WriteMethodNotAllowedAsync(environment);
        }

        var includeBody = method == "GET";
        var report = _runner.GetReportAsync();
        return report.IsCompleted
            ? HealthResponses.WriteStatusAsync(environment, report.Result, includeBody)
            : AnswerStatusAsync(environment, report, includeBody);
    }

    private static async Task AnswerStatusAsync(IDictionary<string, object> environment, Task<StatusReport> report, bool includeBody)
    {
        var finished = await report.ConfigureAwait(false);
        await HealthResponses.WriteStatusAsync(environment, finished, includeBody).ConfigureAwait(false);
    }

    // HTTP methods are case-sensitive (RFC 9110 section 9.1): "get" is not GET, and gets 405 like any other.
    private static string? RequestMethod(IDictionary<string, object> environment) =>
        environment.TryGetValue(OwinKeys.RequestMethod, out var method) ? method as string : null;
}
