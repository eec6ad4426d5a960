using System;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace Recipes.Tests;

/// <summary>
/// One <c>httpGet</c> probe of a Deployment recipe, read from its YAML, with the kubelet's defaults for the
/// fields left out (period 10 s, timeout 1 s, failure threshold 3, success threshold 1).
/// </summary>
internal sealed partial record KubernetesProbe(
    string Kind, string Path, int Port, int PeriodSeconds, int TimeoutSeconds, int FailureThreshold, int SuccessThreshold)
{
    /// <summary>Reads <paramref name="kind"/> (<c>livenessProbe</c>, …) of the first container in <paramref name="yaml"/>.</summary>
    /// <remarks>Handles the block style the recipes use, not YAML in general; anything unexpected throws.</remarks>
    public static KubernetesProbe Parse(string yaml, string kind)
    {
        var lines = yaml.Split('\n');
        var start = Array.FindIndex(lines, line => line.Trim() == kind + ":");
        if (start < 0)
        {
            throw new InvalidOperationException($"No {kind} in the recipe.");
        }

        var indent = Indent(lines[start]);
        var block = lines.Skip(start + 1).TakeWhile(line => line.Trim().Length == 0 || Indent(line) > indent).ToList();
        string? Field(string name) => block
            .Select(line => line.Split('#')[0].Trim())
            .Where(line => line.StartsWith(name + ":", StringComparison.Ordinal))
            .Select(line => line[(name.Length + 1)..].Trim())
            .FirstOrDefault();
        int Number(string name, int kubeletDefault) =>
            Field(name) is string value ? int.Parse(value, CultureInfo.InvariantCulture) : kubeletDefault;

        var port = Field("port") ?? throw new InvalidOperationException($"{kind} has no port.");
        return new KubernetesProbe(
            kind,
            Field("path") ?? throw new InvalidOperationException($"{kind} has no httpGet path."),
            int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : NamedPort(yaml, port),
            Number("periodSeconds", 10),
            Number("timeoutSeconds", 1),
            Number("failureThreshold", 3),
            Number("successThreshold", 1));
    }

    /// <summary>The <c>containerPort</c> of the port named <paramref name="name"/>.</summary>
    public static int NamedPort(string yaml, string name)
    {
        var match = NamedPortPattern().Matches(yaml).FirstOrDefault(candidate => candidate.Groups["name"].Value == name);
        return match is not null
            ? int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"No containerPort named '{name}'.");
    }

    /// <summary>
    /// One probe as the kubelet sends it (prober/http.go): GET, <c>User-Agent: kube-probe/…</c>, <c>Accept: */*</c>,
    /// the probe's timeout; passed iff 200 ≤ status &lt; 400. The pod's IP and port are given by the caller.
    /// </summary>
    public async Task<bool> ProbeAsync(HttpClient client, string host, int port)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{host}:{port}{Path}");
        request.Headers.TryAddWithoutValidation("User-Agent", "kube-probe/1.30");
        request.Headers.TryAddWithoutValidation("Accept", "*/*");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(TimeoutSeconds));
        try
        {
            using var response = await client.SendAsync(request, timeout.Token);
            var status = (int)response.StatusCode;
            return status is >= 200 and < 400;
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
        {
            return false;
        }
    }

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

    [GeneratedRegex(@"-\s+name:\s*(?<name>[\w-]+)\s*\n\s*containerPort:\s*(?<port>\d+)")]
    private static partial Regex NamedPortPattern();
}

/// <summary>The kubelet's result for one probe: flips only after FailureThreshold / SuccessThreshold consecutive outcomes.</summary>
internal sealed class ProbeResult(KubernetesProbe probe, bool initiallyPassed)
{
    private int _failures;
    private int _successes;

    /// <summary>The current result.</summary>
    public bool Passed { get; private set; } = initiallyPassed;

    /// <summary>How many times the result flipped to failed.</summary>
    public int TimesFailed { get; private set; }

    /// <summary>Records one probe outcome and returns the result after it.</summary>
    public bool Record(bool passed)
    {
        _failures = passed ? 0 : _failures + 1;
        _successes = passed ? _successes + 1 : 0;
        if (Passed && _failures >= probe.FailureThreshold)
        {
            Passed = false;
            TimesFailed++;
        }
        else if (!Passed && _successes >= probe.SuccessThreshold)
        {
            Passed = true;
        }

        return Passed;
    }
}
