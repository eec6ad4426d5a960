namespace HealthEndpoint.Owin;

/// <summary>Which health answer a request path asks for.</summary>
/// <remarks>Values run from 0 without gaps: the metrics look up each route's tag by value.</remarks>
internal enum HealthRouteKind
{
    /// <summary>Not a health path: the request goes to the app (the <c>default</c> route).</summary>
    None,

    /// <summary>Under a per-check prefix, but no such check: 404.</summary>
    UnknownCheck,
    Ping,
    Status,
    Live,
    Ready,
    Startup,

    /// <summary>The metrics page (<see cref="HealthEndpointOptions.MetricsPath"/>).</summary>
    Metrics,
}

/// <summary>A matched health path: its kind and, for a per-check path, the check's name.</summary>
internal readonly struct HealthRoute
{
    public static readonly HealthRoute Ping = new(HealthRouteKind.Ping);
    public static readonly HealthRoute Status = new(HealthRouteKind.Status);

    public HealthRoute(HealthRouteKind kind, string? check = null)
    {
        Kind = kind;
        Check = check;
    }

    public HealthRouteKind Kind { get; }

    /// <summary>The canonical check name of <c>&lt;StatusPath&gt;/&lt;check&gt;</c> or <c>&lt;ReadyPath&gt;/&lt;check&gt;</c>.</summary>
    public string? Check { get; }
}
