using System;
using System.Collections.Generic;
using System.Linq;

namespace HealthEndpoint.Probe;

/// <summary>The parsed command line: <c>healthendpoint-probe &lt;url&gt; [--plugin] [--expect …] [--timeout …] …</c>.</summary>
internal sealed class ProbeArguments
{
    /// <summary>Like check_http's <c>-t</c> default.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private static readonly string[] HelpNames = ["--help", "-h", "-?"];
    private static readonly string[] VersionNames = ["--version", "-V"];

    /// <summary>The health URL (absolute, http or https); <see langword="null"/> only with --help or --version.</summary>
    public Uri? Url { get; private set; }

    /// <summary><c>--plugin</c>: Monitoring Plugins output and exit codes instead of the container's 0/1.</summary>
    public bool Monitoring { get; private set; }

    /// <summary><c>--expect</c>/<c>-e</c>; default <c>2xx</c>.</summary>
    public StatusCodeExpectation Expect { get; private set; } = StatusCodeExpectation.Success;

    /// <summary><c>--timeout</c>/<c>-t</c>: for connect, request and body together; default 10 s.</summary>
    public TimeSpan Timeout { get; private set; } = DefaultTimeout;

    /// <summary><c>--warning</c>/<c>-w</c>: response time above which monitoring mode says WARNING.</summary>
    public TimeSpan? Warning { get; private set; }

    /// <summary><c>--critical</c>/<c>-c</c>: response time above which monitoring mode says CRITICAL.</summary>
    public TimeSpan? Critical { get; private set; }

    /// <summary><c>--help</c>/<c>-h</c>: print usage and exit 0.</summary>
    public bool Help { get; private set; }

    /// <summary><c>--version</c>/<c>-V</c>: print the version and exit 0.</summary>
    public bool Version { get; private set; }

    /// <summary>Whether <c>--plugin</c> appears at all, so that even a bad command line gets Monitoring Plugins output.</summary>
    public static bool RequestsMonitoringMode(IEnumerable<string> args) => args.Contains("--plugin", StringComparer.Ordinal);

    /// <summary>Parses the command line; <c>--help</c> and <c>--version</c> win over everything else.</summary>
    /// <exception cref="ProbeUsageException">An unknown option, a missing or bad value, no URL or two URLs.</exception>
    public static ProbeArguments Parse(IReadOnlyList<string> args)
    {
        var parsed = new ProbeArguments { Monitoring = RequestsMonitoringMode(args) };
        if (args.Any(argument => HelpNames.Contains(argument, StringComparer.Ordinal)))
        {
            parsed.Help = true;
            return parsed;
        }

        if (args.Any(argument => VersionNames.Contains(argument, StringComparer.Ordinal)))
        {
            parsed.Version = true;
            return parsed;
        }

        for (var i = 0; i < args.Count; i++)
        {
            var argument = args[i];
            if (!argument.StartsWith('-') || argument == "-")
            {
                parsed.SetUrl(argument);
                continue;
            }

            var separator = argument.IndexOf('=', StringComparison.Ordinal);
            var name = argument.StartsWith("--", StringComparison.Ordinal) && separator > 0 ? argument[..separator] : argument;
            string Value() => separator > 0 && name.Length == separator ? argument[(separator + 1)..]
                : i + 1 < args.Count ? args[++i]
                : throw new ProbeUsageException($"option {name} needs a value (see --help)");

            switch (name)
            {
                case "--plugin" when name == argument:
                    break;
                case "--expect" or "-e":
                    parsed.Expect = StatusCodeExpectation.Parse(Value());
                    break;
                case "--timeout" or "-t":
                    parsed.Timeout = Duration.Parse("--timeout", Value());
                    break;
                case "--warning" or "-w":
                    parsed.Warning = Duration.Parse("--warning", Value());
                    break;
                case "--critical" or "-c":
                    parsed.Critical = Duration.Parse("--critical", Value());
                    break;
                default:
                    throw new ProbeUsageException($"unknown option {ProbeUsageException.Quote(argument)} (see --help)");
            }
        }

        parsed.Validate();
        return parsed;
    }

    private void SetUrl(string text)
    {
        if (Url is not null)
        {
            throw new ProbeUsageException($"unexpected argument {ProbeUsageException.Quote(text)}: give exactly one URL");
        }

        // On Unix "/healthz" parses as an absolute file: URI, hence the scheme test.
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url)
            || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(url.Host))
        {
            throw new ProbeUsageException($"invalid URL {ProbeUsageException.Quote(text)}: expected an absolute http:// or https:// URL");
        }

        Url = url;
    }

    private void Validate()
    {
        if (Url is null)
        {
            throw new ProbeUsageException("missing URL, e.g. healthendpoint-probe http://127.0.0.1:8080/healthz/ping (see --help)");
        }

        if (!Monitoring && (Warning is not null || Critical is not null))
        {
            throw new ProbeUsageException("--warning and --critical need --plugin");
        }

        if (Warning > Critical)
        {
            throw new ProbeUsageException("--warning must not be longer than --critical");
        }
    }
}
