namespace HealthEndpoint.Probe;

/// <summary>
/// Container mode, for a Docker <c>HEALTHCHECK</c>: exit 0 (healthy) or 1 (unhealthy; Docker reserves 2), and one line
/// that <c>docker inspect</c> shows in the health log. Only the status code counts; the body is not read.
/// </summary>
internal static class ContainerOutput
{
    public const int Healthy = 0;
    public const int Unhealthy = 1;

    /// <summary><c>OK 200 GET http://127.0.0.1:8080/healthz/ping in 3 ms</c>, <c>FAIL 503 GET … (expected 2xx)</c>, <c>FAIL cannot connect …</c>.</summary>
    public static ProbeOutcome Format(ProbeResult result, StatusCodeExpectation expect)
    {
        if (result.StatusCode is not { } statusCode)
        {
            return new ProbeOutcome(Unhealthy, "FAIL " + result.Failure);
        }

        var request = $"{statusCode} GET {result.DisplayUrl} in {Duration.Milliseconds(result.Elapsed)} ms";
        return expect.Matches(statusCode)
            ? new ProbeOutcome(Healthy, "OK " + request)
            : new ProbeOutcome(Unhealthy, $"FAIL {request} (expected {expect})");
    }

    /// <summary>A command line the probe cannot run: <c>UNKNOWN …</c>, exit 1 (a container has no "unknown").</summary>
    public static ProbeOutcome Usage(string message) => new(Unhealthy, "UNKNOWN " + message);
}
