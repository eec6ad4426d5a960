using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace Owin.HealthEndpoint;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>The entry point for code that composes OWIN <c>AppFunc</c>s by hand.</summary>
public static class HealthEndpoint
{
    /// <summary>
    /// Returns an app that answers the health paths itself and passes every other request to
    /// <paramref name="app"/> untouched.
    /// </summary>
    /// <param name="app">The app to protect from health probes.</param>
    /// <param name="options">The paths, checks and limits; validated and copied now.</param>
    /// <returns>The wrapped app.</returns>
    /// <exception cref="HealthEndpointConfigurationException">A setting is invalid; the message names it.</exception>
    public static AppFunc Wrap(AppFunc app, HealthEndpointOptions options) =>
        new HealthEndpointMiddleware(app, options).Invoke;

    /// <summary>
    /// As <see cref="Wrap(AppFunc, HealthEndpointOptions)"/>, for a host that signals its stop only in the startup
    /// properties it hands the app (see <see cref="OwinKeys.HostOnAppDisposing"/>).
    /// </summary>
    /// <param name="app">The app to protect from health probes.</param>
    /// <param name="options">The paths, checks and limits; validated and copied now.</param>
    /// <param name="hostProperties">The host's startup properties, or <see langword="null"/>.</param>
    /// <returns>The wrapped app.</returns>
    /// <exception cref="HealthEndpointConfigurationException">A setting is invalid; the message names it.</exception>
    public static AppFunc Wrap(AppFunc app, HealthEndpointOptions options, IDictionary<string, object>? hostProperties) =>
        new HealthEndpointMiddleware(app, options, hostProperties).Invoke;
}
