using System;
using System.Collections.Generic;

namespace Owin.HealthEndpoint;

/// <summary>Maps a request path to the opt-in health answer it asks for (livez, readyz, startupz, per-check, metrics), or to none.</summary>
/// <remarks>
/// The middleware matches the two RT paths itself and creates a router only when an opt-in path is on, so that
/// with the defaults a request for the app costs what it did before these paths existed. Every test here also
/// starts with a length comparison; paths that are switched off are <see langword="null"/>.
/// </remarks>
internal sealed class HealthRouter
{
    private readonly HealthPath _status;
    private readonly HealthPath? _live;
    private readonly HealthPath? _ready;
    private readonly HealthPath? _startup;
    private readonly HealthPath? _metrics;
    private readonly string[]? _checkNames;

    public HealthRouter(HealthEndpointOptions options, IReadOnlyList<string> checkNames)
    {
        _status = new HealthPath(options.StatusPath);
        _live = options.LivePath is null ? null : new HealthPath(options.LivePath);
        _ready = options.ReadyPath is null ? null : new HealthPath(options.ReadyPath);
        _startup = options.StartupPath is null ? null : new HealthPath(options.StartupPath);
        _metrics = options.MetricsPath is null ? null : new HealthPath(options.MetricsPath);
        _checkNames = options.PerCheckPaths ? new List<string>(checkNames).ToArray() : null;
    }

    /// <summary>Whether any opt-in path is on; without one the middleware needs no router.</summary>
    public static bool IsNeeded(HealthEndpointOptions options) =>
        options.LivePath is not null || options.ReadyPath is not null || options.StartupPath is not null || options.PerCheckPaths
        || options.MetricsPath is not null;

    public HealthRoute Match(string path)
    {
        if (_live is not null && _live.Matches(path))
        {
            return new HealthRoute(HealthRouteKind.Live);
        }

        if (_ready is not null && _ready.Matches(path))
        {
            return new HealthRoute(HealthRouteKind.Ready);
        }

        if (_startup is not null && _startup.Matches(path))
        {
            return new HealthRoute(HealthRouteKind.Startup);
        }

        if (_metrics is not null && _metrics.Matches(path))
        {
            return new HealthRoute(HealthRouteKind.Metrics);
        }

        return _checkNames is null ? HealthRoute.None : MatchPerCheck(path);
    }

    private HealthRoute MatchPerCheck(string path)
    {
        if (TryMatchChild(_status, path, out var name))
        {
            return CheckRoute(HealthRouteKind.Status, name);
        }

        if (_ready is not null && TryMatchChild(_ready, path, out name))
        {
            return CheckRoute(HealthRouteKind.Ready, name);
        }

        return HealthRoute.None;
    }

    private HealthRoute CheckRoute(HealthRouteKind kind, string name)
    {
        foreach (var check in _checkNames!)
        {
            if (string.Equals(check, name, StringComparison.OrdinalIgnoreCase))
            {
                return new HealthRoute(kind, check);
            }
        }

        // The prefix belongs to the health endpoint, so a typo is answered here (404), not by the app.
        return new HealthRoute(HealthRouteKind.UnknownCheck);
    }

    // "<parent>/<name>" or "<parent>/<name>/", where name is one non-empty segment.
    private static bool TryMatchChild(HealthPath parent, string path, out string name)
    {
        name = string.Empty;
        var prefix = parent.Value;
        if (path.Length < prefix.Length + 2
            || path[prefix.Length] != '/'
            || string.Compare(path, 0, prefix, 0, prefix.Length, StringComparison.OrdinalIgnoreCase) != 0)
        {
            return false;
        }

        var end = path[path.Length - 1] == '/' ? path.Length - 1 : path.Length;
        var start = prefix.Length + 1;
        if (end <= start || path.IndexOf('/', start, end - start) >= 0)
        {
            return false;
        }

        name = path.Substring(start, end - start);
        return true;
    }
}
