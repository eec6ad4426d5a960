using System.Collections.Generic;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin;

/// <summary>
/// The two doors for adapters to other frameworks (HealthEndpoint.AspNetCore): which paths are health paths, and the
/// checks run as the status path runs them. Routing, rendering and the runner stay here, in one copy.
/// </summary>
public sealed partial class HealthEndpointMiddleware
{
    /// <summary>
    /// Whether <paramref name="path"/> (the request path below the app's base, as <c>owin.RequestPath</c>) is one this
    /// middleware answers. An adapter builds an OWIN environment for these requests only, so every other request passes
    /// without an allocation.
    /// </summary>
    /// <param name="path">The request path, for example <c>/healthz/status</c>.</param>
    /// <returns><see langword="true"/> for a health path (answered by <see cref="Invoke"/>), else <see langword="false"/>.</returns>
    public bool Handles(string path) => path is not null && _router.Match(path).Kind != HealthRouteKind.None;

    /// <summary>
    /// Runs the checks as the status path does: one shared run, reused for <see cref="HealthEndpointOptions.StatusCacheDuration"/>,
    /// under one <see cref="HealthEndpointOptions.CheckTimeout"/>, at most one operation per check in flight.
    /// </summary>
    /// <returns>
    /// Each check's name and outcome, as the status document spells them: <c>ok</c>, <c>fail</c> (failed or past the
    /// deadline) or <c>skipped</c> (not configured). The task never faults.
    /// </returns>
    public async Task<IReadOnlyDictionary<string, string>> RunChecksAsync()
    {
        var run = await _runner.GetRunAsync().ConfigureAwait(false);
        var outcomes = new Dictionary<string, string>(run.Checks.Count);
        foreach (var check in run.Checks)
        {
            outcomes[check.Name] = StatusJson.Token(check.Outcome);
        }

        return outcomes;
    }
}
