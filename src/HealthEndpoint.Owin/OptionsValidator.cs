using System;
using System.Collections.Generic;

namespace HealthEndpoint.Owin;

/// <summary>
/// Checks <see cref="HealthEndpointOptions"/> once, at startup, and reports every bad value in one exception.
/// </summary>
/// <remarks>
/// Failing here rather than on the first probe matters: a health endpoint that is misconfigured must stop the
/// deployment, not report "unhealthy" for a reason nobody will look for.
/// </remarks>
internal static class OptionsValidator
{
    // A Task.Delay/CancelAfter limit; a deadline beyond it would throw at run time instead of at startup.
    private static readonly TimeSpan MaximumTimeout = TimeSpan.FromMilliseconds(int.MaxValue);

    /// <summary>Throws <see cref="HealthEndpointConfigurationException"/> when any setting is invalid or any problem was found before.</summary>
    /// <param name="options">The options to check.</param>
    /// <param name="keyPrefix">Prepended to setting names in messages: <c>HealthEndpoint:</c> for configuration keys.</param>
    /// <param name="problemsFound">Problems the caller found first (configuration it could not read); listed first.</param>
    public static void Validate(HealthEndpointOptions options, string keyPrefix, IEnumerable<KeyValuePair<string, string>>? problemsFound = null)
    {
        var problems = problemsFound is null ? new List<KeyValuePair<string, string>>() : new List<KeyValuePair<string, string>>(problemsFound);
        Collect(options, keyPrefix, problems);
        if (problems.Count > 0)
        {
            throw new HealthEndpointConfigurationException(problems);
        }
    }

    /// <summary>Adds a (key, sentence) pair to <paramref name="problems"/> for every invalid setting.</summary>
    /// <param name="options">The options to check.</param>
    /// <param name="keyPrefix">Prepended to setting names in keys and messages.</param>
    /// <param name="problems">Where problems are added, after any the caller found itself.</param>
    private static void Collect(HealthEndpointOptions options, string keyPrefix, List<KeyValuePair<string, string>> problems)
    {
        void Add(string setting, string problem) =>
            problems.Add(new KeyValuePair<string, string>(keyPrefix + setting, keyPrefix + setting + " " + problem));

        ValidatePaths(options, keyPrefix, Add);
        if (options.CheckTimeout <= TimeSpan.Zero || options.CheckTimeout > MaximumTimeout)
        {
            Add(nameof(options.CheckTimeout), $"must be a positive duration of at most {MaximumTimeout} (was {options.CheckTimeout}).");
        }

        if (options.StatusCacheDuration < TimeSpan.Zero)
        {
            Add(nameof(options.StatusCacheDuration), $"must be zero or positive (was {options.StatusCacheDuration}).");
        }

        if (options.Lifecycle is null)
        {
            Add(nameof(options.Lifecycle), "must not be null.");
        }

        if (options.Logger is null)
        {
            Add(nameof(options.Logger), "must not be null; use NullLogger.Instance to discard failure details.");
        }

        ValidateCheckNames(options.Checks, problem => Add(nameof(options.Checks), problem));
        ValidateNetworks(options.AllowedNetworks, problem => Add(nameof(options.AllowedNetworks), problem));
        ValidateNetworks(options.TrustedProxies, problem => Add(nameof(options.TrustedProxies), problem));
        if (options.TrustedProxies.Count > 0 && options.AllowedNetworks.Count == 0)
        {
            Add(nameof(options.TrustedProxies), $"is only used with {keyPrefix}{nameof(options.AllowedNetworks)}, which is empty.");
        }
    }

    /// <summary>Parses CIDR ranges that <see cref="Collect"/> accepted.</summary>
    public static IpNetwork[] ParseNetworks(IList<string> networks)
    {
        var parsed = new IpNetwork[networks.Count];
        for (var i = 0; i < parsed.Length; i++)
        {
            if (!IpNetwork.TryParse(networks[i], out parsed[i]))
            {
                throw new ArgumentException($"'{networks[i]}' was not validated.", nameof(networks));
            }
        }

        return parsed;
    }

    private static void ValidateNetworks(IList<string> networks, Action<string> add)
    {
        foreach (var network in networks)
        {
            if (!IpNetwork.TryParse(network, out _))
            {
                add($"has '{network}', which is not an address or a CIDR range with zero host bits, such as 10.0.0.0/8 or fd00::/8.");
            }
        }
    }

    // Every path that is on must be valid and differ from the others; ping and status are always on, the others
    // when not null.
    private static void ValidatePaths(HealthEndpointOptions options, string keyPrefix, Action<string, string> add)
    {
        var paths = new List<KeyValuePair<string, string?>>();
        foreach (var (setting, path, kind) in options.ExactPaths())
        {
            if (path is not null || kind is HealthRouteKind.Ping or HealthRouteKind.Status)
            {
                paths.Add(new KeyValuePair<string, string?>(setting, path));
            }
        }

        if (options.MetricsPath is not null && options.MetricsPage is null)
        {
            add(nameof(options.MetricsPath), $"needs {keyPrefix}{nameof(options.MetricsPage)}, which renders it (for example the HealthEndpoint.Owin.Prometheus package's).");
        }

        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in paths)
        {
            var problem = DescribePathProblem(path.Value);
            if (problem is not null)
            {
                add(path.Key, problem);
            }
            else if (seen.TryGetValue(HealthRouter.Normalize(path.Value!), out var earlier))
            {
                add(path.Key, $"must differ from {keyPrefix}{earlier} (both are '{path.Value}').");
            }
            else
            {
                seen.Add(HealthRouter.Normalize(path.Value!), path.Key);
            }
        }
    }

    private static string? DescribePathProblem(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "must be set (for example '/healthz/ping').";
        }

        if (path![0] != '/')
        {
            return $"must start with '/' (was '{path}').";
        }

        if (HealthRouter.Normalize(path).Length < 2)
        {
            return $"must name at least one segment; '{path}' would capture every request.";
        }

        foreach (var c in path)
        {
            if (c == '?' || c == '#' || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return $"must be a plain path without query, fragment or whitespace (was '{path}').";
            }
        }

        return null;
    }

    private static void ValidateCheckNames(IList<NamedHealthCheck> checks, Action<string> add)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var registration in checks)
        {
            if (registration is null)
            {
                add("must not contain null entries.");
            }
            else if (!IsValidCheckName(registration.Name))
            {
                add($"has an invalid name '{registration.Name}': names are lowercase [a-z0-9_.-]+.");
            }
            else if (registration.Name is CheckNames.Database or CheckNames.Redis)
            {
                add($"has the reserved name '{registration.Name}': set {nameof(HealthEndpointOptions.Database)} or {nameof(HealthEndpointOptions.Redis)} instead.");
            }
            else if (registration.Name == CheckNames.Shutdown)
            {
                add($"has the reserved name '{registration.Name}': it reports draining.");
            }
            else if (!seen.Add(registration.Name))
            {
                add($"has the name '{registration.Name}' more than once.");
            }
        }
    }

    private static bool IsValidCheckName(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var c in name)
        {
            var valid = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
            if (!valid)
            {
                return false;
            }
        }

        return true;
    }
}
