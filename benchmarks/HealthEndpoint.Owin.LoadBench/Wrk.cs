using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.LoadBench;

/// <summary>One wrk invocation: <c>wrk -t -c -d --timeout --latency url</c>.</summary>
/// <param name="Url">A loopback URL.</param>
/// <param name="Threads">wrk threads (<c>-t</c>).</param>
/// <param name="Connections">Open connections (<c>-c</c>).</param>
/// <param name="Seconds">Run time in whole seconds (<c>-d</c>; wrk has no sub-second unit).</param>
/// <param name="TimeoutSeconds">
/// wrk's per-request timeout. A request past it is counted as a timeout error and left out of the latency
/// figures, so it must exceed every latency the run is meant to observe.
/// </param>
internal sealed record WrkRun(string Url, int Threads, int Connections, int Seconds, int TimeoutSeconds = 5);

/// <summary>What one wrk run reported.</summary>
internal sealed record WrkResult(
    double RequestsPerSecond,
    long Requests,
    double ElapsedSeconds,
    TimeSpan P50,
    TimeSpan P99,
    TimeSpan Max,
    long Non2xx,
    long SocketErrors,
    long Timeouts)
{
    /// <summary>Connect, read and write errors plus timeouts, and responses that were not 2xx or 3xx.</summary>
    public long Errors => SocketErrors + Non2xx;
}

/// <summary>Runs wrk (Debian's package) as a child process and parses its <c>--latency</c> report.</summary>
internal static partial class Wrk
{
    /// <summary>The full path of wrk on PATH.</summary>
    /// <exception cref="InvalidOperationException">wrk is not installed; the message says how to install it.</exception>
    public static string Locate()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, "wrk");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            "wrk was not found on PATH. Install it with 'apt-get install -y wrk' (as root; 'sudo apt-get install -y wrk' otherwise).");
    }

    /// <summary>The first line of <c>wrk --version</c>, for the report header.</summary>
    public static async Task<string> VersionAsync(CancellationToken cancellationToken)
    {
        // wrk prints its version and usage to stdout and exits 1 for --version.
        var (_, output) = await RunProcessAsync(["--version"], TimeSpan.FromSeconds(10), cancellationToken);
        var firstLine = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return firstLine.Length == 0 ? "wrk (unknown version)" : firstLine[0].Trim();
    }

    /// <summary>Runs wrk and parses its report; gives it its own run time plus 20 s before killing it.</summary>
    /// <exception cref="InvalidOperationException">wrk failed or printed no report.</exception>
    public static async Task<WrkResult> RunAsync(WrkRun run, CancellationToken cancellationToken)
    {
        string[] arguments =
        [
            "-t", Invariant(run.Threads), "-c", Invariant(run.Connections), "-d", Invariant(run.Seconds) + "s",
            "--timeout", Invariant(run.TimeoutSeconds) + "s", "--latency", run.Url,
        ];
        var (exitCode, output) = await RunProcessAsync(arguments, TimeSpan.FromSeconds(run.Seconds + 20), cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"wrk exited with code {exitCode} for {run.Url}:{Environment.NewLine}{output}");
        }

        return Parse(output);
    }

    /// <summary>Parses wrk 4.x output printed with <c>--latency</c>.</summary>
    /// <exception cref="InvalidOperationException">A required line is missing.</exception>
    public static WrkResult Parse(string output)
    {
        var latency = LatencyLine().Match(output);
        var p50 = Percentile50Line().Match(output);
        var p99 = Percentile99Line().Match(output);
        var requests = RequestsLine().Match(output);
        var rate = RateLine().Match(output);
        if (!latency.Success || !p99.Success || !requests.Success || !rate.Success)
        {
            throw new InvalidOperationException($"Unexpected wrk output:{Environment.NewLine}{output}");
        }

        var socket = SocketErrorsLine().Match(output);
        long socketErrors = 0, timeouts = 0;
        if (socket.Success)
        {
            for (var group = 1; group <= 4; group++)
            {
                socketErrors += long.Parse(socket.Groups[group].Value, CultureInfo.InvariantCulture);
            }

            timeouts = long.Parse(socket.Groups[4].Value, CultureInfo.InvariantCulture);
        }

        var non2xx = Non2xxLine().Match(output);
        return new WrkResult(
            RequestsPerSecond: double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture),
            Requests: long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture),
            ElapsedSeconds: ParseTime(requests.Groups[2].Value).TotalSeconds,
            P50: p50.Success ? ParseTime(p50.Groups[1].Value) : TimeSpan.Zero,
            P99: ParseTime(p99.Groups[1].Value),
            Max: ParseTime(latency.Groups[1].Value),
            Non2xx: non2xx.Success ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            SocketErrors: socketErrors,
            Timeouts: timeouts);
    }

    // wrk prints times as 412.00us, 1.23ms, 2.00s or 1.00m.
    private static TimeSpan ParseTime(string text)
    {
        var match = TimeValue().Match(text);
        if (!match.Success)
        {
            throw new InvalidOperationException($"Unexpected wrk time '{text}'.");
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "us" => TimeSpan.FromMicroseconds(value),
            "ms" => TimeSpan.FromMilliseconds(value),
            "s" => TimeSpan.FromSeconds(value),
            "m" => TimeSpan.FromMinutes(value),
            "h" => TimeSpan.FromHours(value),
            _ => throw new InvalidOperationException($"Unexpected wrk time unit in '{text}'."),
        };
    }

    private static async Task<(int ExitCode, string Output)> RunProcessAsync(
        string[] arguments, TimeSpan limit, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(Locate())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException("wrk could not be started.");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            // Our own child, stopped by its PID: a wrk that outlives its run must not keep loading the machine.
            process.Kill();
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"wrk {string.Join(' ', arguments)} did not finish within {limit.TotalSeconds:0} s.");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\s+Latency\s+\S+\s+\S+\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex LatencyLine();

    [GeneratedRegex(@"^\s+50%\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex Percentile50Line();

    [GeneratedRegex(@"^\s+99%\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex Percentile99Line();

    [GeneratedRegex(@"(\d+) requests in (\S+?),")]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RateLine();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xxLine();

    [GeneratedRegex(@"^([\d.]+)(us|ms|s|m|h)$")]
    private static partial Regex TimeValue();
}
