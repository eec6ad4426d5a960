using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Probe;

/// <summary>The whole tool: parse, probe, print exactly one line, return the exit code.</summary>
internal static class ProbeCommand
{
    /// <summary>Runs the probe for <paramref name="args"/>, writing to <paramref name="output"/>; never throws.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken = default)
    {
        var monitoring = ProbeArguments.RequestsMonitoringMode(args);
        ProbeOutcome outcome;
        try
        {
            outcome = await RunCoreAsync(args, output, cancellationToken).ConfigureAwait(false);
        }
        catch (ProbeUsageException exception)
        {
            outcome = monitoring ? MonitoringOutput.Usage(exception.Message) : ContainerOutput.Usage(exception.Message);
        }
#pragma warning disable CA1031 // Guidelines: internal failures are UNKNOWN, in one line, never a stack trace.
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            outcome = monitoring ? MonitoringOutput.Usage("internal error in healthendpoint-probe") : ContainerOutput.Usage("internal error in healthendpoint-probe");
        }

        await output.WriteLineAsync(outcome.Line.AsMemory(), cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return outcome.ExitCode;
    }

    private static async Task<ProbeOutcome> RunCoreAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var arguments = ProbeArguments.Parse(args);
        if (arguments.Help || arguments.Version)
        {
            // The help's own lines; the one line below is then the version.
            if (arguments.Help)
            {
                await output.WriteLineAsync(HelpText.Usage.AsMemory(), cancellationToken).ConfigureAwait(false);
            }

            return new ProbeOutcome(0, HelpText.Version);
        }

        var result = await HttpProbe.GetAsync(arguments.Url!, arguments.Timeout, detail: arguments.Monitoring, cancellationToken).ConfigureAwait(false);
        return arguments.Monitoring
            ? MonitoringOutput.Format(result, arguments)
            : ContainerOutput.Format(result, arguments.Expect);
    }
}
