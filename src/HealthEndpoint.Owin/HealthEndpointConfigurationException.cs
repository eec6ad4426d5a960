using System;
using System.Collections.Generic;

namespace HealthEndpoint.Owin;

/// <summary>Thrown at startup when a setting is invalid; the message names every offending key.</summary>
public sealed class HealthEndpointConfigurationException : Exception
{
    // One or more problems, each a sentence that starts with its key: the validator's list, which begins with the
    // problems a configuration reader found (HealthEndpointOptions.Validate).
    internal HealthEndpointConfigurationException(IReadOnlyList<KeyValuePair<string, string>> problems)
        : base(Describe(problems))
    {
        var keys = new string[problems.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = problems[i].Key;
        }

        Keys = keys;
    }

    /// <summary>Creates the exception for a single problem.</summary>
    /// <param name="key">The setting's key, for example <c>HealthEndpoint:PingPath</c>.</param>
    /// <param name="problem">What is wrong with it, as a sentence that starts with the key.</param>
    public HealthEndpointConfigurationException(string key, string problem)
        : this(new[] { new KeyValuePair<string, string>(key, problem) })
    {
    }

    /// <summary>The keys of the invalid settings, in the order they were found.</summary>
    public IReadOnlyList<string> Keys { get; }

    private static string Describe(IReadOnlyList<KeyValuePair<string, string>> problems)
    {
        if (problems is null || problems.Count == 0)
        {
            throw new ArgumentException("At least one problem is required.", nameof(problems));
        }

        if (problems.Count == 1)
        {
            return "Invalid configuration: " + problems[0].Value;
        }

        var lines = new List<string>(problems.Count);
        foreach (var problem in problems)
        {
            lines.Add("  - " + problem.Value);
        }

        return "Invalid configuration:" + Environment.NewLine + string.Join(Environment.NewLine, lines);
    }
}
