using System;
using System.Collections.Generic;

namespace HealthEndpoint.Owin;

/// <summary>The Kubernetes-style query of a health request (on when <see cref="HealthEndpointOptions.ProbeQueries"/> is): <c>?verbose</c> and <c>?exclude=&lt;check&gt;</c>.</summary>
/// <remarks>
/// As in the Kubernetes API server, <c>verbose</c> counts when present (any value but <c>false</c> or <c>0</c>),
/// <c>exclude</c> may repeat (and may hold a comma-separated list), and unknown names and parameters are ignored.
/// </remarks>
internal sealed class HealthQuery
{
    private readonly IReadOnlyList<string> _excluded;

    private HealthQuery(bool verbose, IReadOnlyList<string> excluded)
    {
        Verbose = verbose;
        _excluded = excluded;
        ExcludesAny = excluded.Count > 0;
    }

    public bool Verbose { get; }

    /// <summary>Whether <c>?exclude</c> named anything; read once here, not per answer.</summary>
    public bool ExcludesAny { get; }

    public bool Excludes(string check)
    {
        foreach (var name in _excluded)
        {
            if (string.Equals(name, check, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <param name="query">The query string without its '?'; <see langword="null"/> or empty when there is none.</param>
    /// <returns>The query, or <see langword="null"/> when it asks for nothing this endpoint reads.</returns>
    public static HealthQuery? Parse(string? query)
    {
        if (query is null || query.Length == 0)
        {
            return null;
        }

        var verbose = false;
        var excluded = new List<string>();
        foreach (var pair in query.Split('&'))
        {
            var equals = pair.IndexOf('=');
            var name = Decode(equals < 0 ? pair : pair.Substring(0, equals));
            var argument = equals < 0 ? string.Empty : Decode(pair.Substring(equals + 1));
            if (string.Equals(name, "verbose", StringComparison.OrdinalIgnoreCase))
            {
                verbose = argument != "0" && !string.Equals(argument, "false", StringComparison.OrdinalIgnoreCase);
            }
            else if (string.Equals(name, "exclude", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var check in argument.Split(','))
                {
                    if (check.Trim().Length > 0)
                    {
                        excluded.Add(check.Trim());
                    }
                }
            }
        }

        return verbose || excluded.Count > 0 ? new HealthQuery(verbose, excluded) : null;
    }

    private static string Decode(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return text;
        }
    }
}
