using System.Reflection;

namespace HealthEndpoint.Probe;

/// <summary>The texts of <c>--help</c> and <c>--version</c>.</summary>
internal static class HelpText
{
    /// <summary><c>healthendpoint-probe 1.2.3</c> (the informational version without its <c>+commit</c> suffix).</summary>
    public static string Version
    {
        get
        {
            var assembly = typeof(HelpText).Assembly;
            var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? assembly.GetName().Version?.ToString(3)
                ?? "0.0.0";
            var plus = version.IndexOf('+', System.StringComparison.Ordinal);
            return "healthendpoint-probe " + (plus < 0 ? version : version[..plus]);
        }
    }

    public const string Usage = """
        Usage: healthendpoint-probe <url> [options]

        Sends one HTTP GET to a HealthEndpoint URL (no cookies, no redirects, no proxy) and prints one line.

        Container mode (default), for a Docker HEALTHCHECK:
          exit 0  the status code is expected           OK 200 GET http://127.0.0.1:8080/healthz/ping in 3 ms
          exit 1  anything else, including bad usage    FAIL 503 GET http://127.0.0.1:8080/healthz/status in 9 ms (expected 2xx)

        Plugin mode (--plugin), for Icinga, Nagios and other Monitoring Plugins hosts:
          exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN
          HEALTHENDPOINT CRITICAL - 503 in 9 ms, database fail | 'time'=0.009s;;;0 'database'=0;;1:;0;1
          CRITICAL: no response, a status code outside --expect, "status":"fail", or slower than --critical.
          UNKNOWN: bad usage, or a body that is neither status JSON nor text/plain.

        Options:
          --plugin               Monitoring Plugins output and exit codes
          -e, --expect <codes>   healthy status codes and classes, e.g. 2xx, 200, 200,204 (default 2xx)
          -t, --timeout <time>   deadline for the whole request, e.g. 2s, 500ms, 2 (default 10s)
          -w, --warning <time>   plugin mode: WARNING when the response takes longer
          -c, --critical <time>  plugin mode: CRITICAL when the response takes longer
          -h, --help             this text
          -V, --version          the version
        """;
}
