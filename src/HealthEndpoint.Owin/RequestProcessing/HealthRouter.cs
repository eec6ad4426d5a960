using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace HealthEndpoint.Owin;

/// <summary>Maps a request path to the health answer it asks for — ping, status and the opt-in paths (livez, readyz, startupz, per-check, metrics) — or to none.</summary>
/// <remarks>
/// Built once from the options. <see cref="Match"/> tests ping and status first, inline, and looks at the opt-in
/// paths only when one is on, so that with the defaults a request for the app costs two length comparisons and
/// no allocation. The exact paths come from <see cref="HealthEndpointOptions.ExactPaths"/>.
/// </remarks>
internal sealed class HealthRouter
{
    private readonly HealthPath _ping;
    private readonly HealthPath _status;
    private readonly OptInRoutes? _optIn;

    public HealthRouter(HealthEndpointOptions options, IReadOnlyList<string> checkNames)
    {
        _ping = new HealthPath(options.PingPath);
        _status = new HealthPath(options.StatusPath);

        var exact = new List<KeyValuePair<HealthPath, HealthRouteKind>>();
        foreach (var (_, path, kind) in options.ExactPaths())
        {
            if (kind is not (HealthRouteKind.Ping or HealthRouteKind.Status))
            {
                AddIfOn(exact, path, kind);
            }
        }

        // Per-check paths hang under the status path and, when it is on, the ready path.
        var parents = new List<KeyValuePair<HealthPath, HealthRouteKind>>();
        if (options.PerCheckPaths)
        {
            parents.Add(new(_status, HealthRouteKind.Status));
            AddIfOn(parents, options.ReadyPath, HealthRouteKind.Ready);
        }

        _optIn = exact.Count > 0 || parents.Count > 0 ? new OptInRoutes(exact.ToArray(), parents.ToArray(), checkNames) : null;
    }

    /// <summary>The route of <paramref name="path"/>; <c>default</c> (<see cref="HealthRouteKind.None"/>) for the app.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public HealthRoute Match(string path)
    {
        if (_ping.Matches(path))
        {
            return new HealthRoute(HealthRouteKind.Ping);
        }

        if (_status.Matches(path))
        {
            return new HealthRoute(HealthRouteKind.Status);
        }

        return _optIn is null ? default : _optIn.Match(path);
    }

    /// <summary>Removes one trailing slash, so that '/healthz/ping/' and '/healthz/ping' configure the same path.</summary>
    public static string Normalize(string path) =>
        path.Length > 1 && path[path.Length - 1] == '/' ? path.Substring(0, path.Length - 1) : path;

    private static void AddIfOn(List<KeyValuePair<HealthPath, HealthRouteKind>> routes, string? path, HealthRouteKind kind)
    {
        if (path is not null)
        {
            routes.Add(new(new HealthPath(path), kind));
        }
    }

    private sealed class OptInRoutes(
        KeyValuePair<HealthPath, HealthRouteKind>[] exact,
        KeyValuePair<HealthPath, HealthRouteKind>[] parents,
        IReadOnlyList<string> checkNames)
    {
        private readonly string[] _checkNames = new List<string>(checkNames).ToArray();

        public HealthRoute Match(string path)
        {
            foreach (var route in exact)
            {
                if (route.Key.Matches(path))
                {
                    return new HealthRoute(route.Value);
                }
            }

            foreach (var parent in parents)
            {
                if (TryMatchChild(parent.Key, path, out var name))
                {
                    return CheckRoute(parent.Value, name);
                }
            }

            return default;
        }

        private HealthRoute CheckRoute(HealthRouteKind kind, string name)
        {
            foreach (var check in _checkNames)
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

    /// <summary>One configured health path and the allocation-free test of a request path against it.</summary>
    /// <remarks>
    /// The rule follows ASP.NET Core's health checks: the whole path, compared case-insensitively, with one
    /// optional trailing slash. <c>/healthz/ping/</c> matches; <c>/healthz/pingx</c> and <c>/healthz/ping//</c> do not.
    /// </remarks>
    private sealed class HealthPath(string configuredPath)
    {
        /// <summary>The configured path without a trailing slash, as it is matched.</summary>
        public string Value { get; } = Normalize(configuredPath);

        public bool Matches(string requestPath)
        {
            var length = Value.Length;
            if (requestPath.Length == length)
            {
                return string.Equals(requestPath, Value, StringComparison.OrdinalIgnoreCase);
            }

            return requestPath.Length == length + 1
                && requestPath[length] == '/'
                && string.Compare(requestPath, 0, Value, 0, length, StringComparison.OrdinalIgnoreCase) == 0;
        }
    }
}
