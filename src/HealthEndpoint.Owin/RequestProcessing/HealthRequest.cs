using System.Collections.Generic;

namespace HealthEndpoint.Owin;

/// <summary>The body format a health request is answered in.</summary>
internal enum HealthFormat
{
    /// <summary>
    /// The default, compact answers: <c>pong</c> for ping, and for status the <c>{"checks":{…},"status":"ok"}</c>
    /// document, encoded once per check run: the format of Request Tracker's HealthEndpoint, which this library follows.
    /// </summary>
    Compact,

    /// <summary><c>application/health+json</c>, when switched on and preferred by <c>Accept</c>.</summary>
    HealthJson,

    /// <summary>The Kubernetes API server's text, for livez, readyz and startupz.</summary>
    KubernetesText,
}

/// <summary>Everything the responder needs to know about a matched GET or HEAD health request, read once.</summary>
/// <remarks>With health+json and queries off (the defaults) reading it looks at nothing in the environment.</remarks>
internal readonly struct HealthRequest
{
    private HealthRequest(HealthRoute route, HealthQuery query, HealthFormat format, bool includeBody)
    {
        Route = route;
        Query = query;
        Format = format;
        IncludeBody = includeBody;
    }

    public HealthRoute Route { get; }

    /// <summary><c>?verbose</c> and <c>?exclude</c>; empty unless <see cref="HealthEndpointOptions.ProbeQueries"/> is on.</summary>
    public HealthQuery Query { get; }

    public HealthFormat Format { get; }

    /// <summary>False for HEAD: the same headers, no body.</summary>
    public bool IncludeBody { get; }

    /// <summary>The status answer every run shares: compact, the whole run, nothing excluded.</summary>
    public bool IsWholeCompactStatus => Format == HealthFormat.Compact && Route.Check is null && !Query.ExcludesAny;

    /// <summary>Reads the query and the format from the environment, each only when its option is on.</summary>
    public static HealthRequest Read(
        IDictionary<string, object> environment, HealthRoute route, bool includeBody, bool healthJsonOn, bool queriesOn)
    {
        var format = healthJsonOn && AcceptHeader.PrefersHealthJson(environment)
            ? HealthFormat.HealthJson
            : route.Kind is HealthRouteKind.Ping or HealthRouteKind.Status ? HealthFormat.Compact : HealthFormat.KubernetesText;

        // Ping has no checks to list or exclude, so its query is never read.
        var query = queriesOn && route.Kind != HealthRouteKind.Ping ? HealthQuery.Parse(environment) : HealthQuery.Empty;
        return new HealthRequest(route, query, format, includeBody);
    }
}
