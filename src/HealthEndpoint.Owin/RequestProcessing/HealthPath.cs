using System;

namespace HealthEndpoint.Owin;

/// <summary>One configured health path and the allocation-free test of a request path against it.</summary>
/// <remarks>
/// The rule follows ASP.NET Core's health checks: the whole path, compared case-insensitively, with one
/// optional trailing slash. <c>/healthz/ping/</c> matches; <c>/healthz/pingx</c> and <c>/healthz/ping//</c> do not.
/// </remarks>
internal sealed class HealthPath
{
    private readonly string _path;

    public HealthPath(string configuredPath)
    {
        _path = Normalize(configuredPath);
    }

    /// <summary>The configured path without a trailing slash, as it is matched.</summary>
    public string Value => _path;

    /// <summary>Removes one trailing slash, so that '/healthz/ping/' and '/healthz/ping' configure the same path.</summary>
    public static string Normalize(string path) =>
        path.Length > 1 && path[path.Length - 1] == '/' ? path.Substring(0, path.Length - 1) : path;

    public bool Matches(string requestPath)
    {
        var length = _path.Length;
        if (requestPath.Length == length)
        {
            return string.Equals(requestPath, _path, StringComparison.OrdinalIgnoreCase);
        }

        return requestPath.Length == length + 1
            && requestPath[length] == '/'
            && string.Compare(requestPath, 0, _path, 0, length, StringComparison.OrdinalIgnoreCase) == 0;
    }
}
