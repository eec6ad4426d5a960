using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Plugin;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>
/// A startup plugin that is middleware: given the app built so far, it returns the app that replaces it, as an
/// OWIN middleware wraps its <c>next</c>.
/// </summary>
/// <remarks>A plugin that does not implement this is created, and skipped when the pipeline is built.</remarks>
public interface IWrapPlugin : IPlugin
{
    /// <summary>Wraps the app built so far; called once, at startup.</summary>
    /// <param name="app">The app made of the legacy app and every plugin listed before this one.</param>
    /// <returns>The app that the next plugin wraps, or that the server runs.</returns>
    AppFunc Wrap(AppFunc app);
}
