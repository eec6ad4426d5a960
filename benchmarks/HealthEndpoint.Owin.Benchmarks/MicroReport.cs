using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Reports;

namespace HealthEndpoint.Owin.Benchmarks;

/// <summary>
/// Turns the suite's <see cref="Summary"/> into micro.md: each benchmark's mean and allocation beside the
/// targets of issue 4, with met / not met; each benchmark without and with a meter listener, side by side.
/// </summary>
/// <remarks>
/// Times are judged on the measured mean, which includes the allocation-free reset of the response (the
/// <c>Reset</c> row); the "net of reset" column shows what is left once that is subtracted.
/// </remarks>
internal static class MicroReport
{
    private const string Direct = nameof(MiddlewareBenchmarks.PassThrough_Direct);
    private const string Wrapped = nameof(MiddlewareBenchmarks.PassThrough_Wrapped);
    private const string WrappedProbesOn = nameof(MiddlewareBenchmarks.PassThrough_WrappedProbesOn);
    private const string Reset = nameof(MiddlewareBenchmarks.Reset);
    private const string PathLookup = nameof(MiddlewareBenchmarks.PathLookup_Reference);

    // Issue 4, "Targets". The 128 B for ping are the four one-element string[] header values (32 B each on x64)
    // that the OWIN contract requires to be new per response.
    private static readonly Target[] Targets =
    [
        new(Direct, null, null, "baseline"),
        new(Wrapped, null, 0, "0 B; ≤ 2 ns over direct (delta row)"),
        new(WrappedProbesOn, null, 0, "0 B (livez, readyz, startupz, per-check paths on)"),
        new(PathLookup, null, null, "reference: one environment read"),
        new(nameof(MiddlewareBenchmarks.Ping_Get), 150, 128, "≤ 150 ns, ≤ 128 B"),
        new(nameof(MiddlewareBenchmarks.Ping_Head), 150, 128, "≤ 150 ns, ≤ 128 B"),
        new(nameof(MiddlewareBenchmarks.Status_Cached), 1000, 512, "≤ 1 µs, ≤ 512 B"),
        new(nameof(MiddlewareBenchmarks.MethodNotAllowed), null, null, "none set"),
        new(Reset, null, null, "harness cost"),
    ];

    private const double MaxPassThroughDeltaNanoseconds = 2;

    public static string Render(Summary summary, string machineLoad)
    {
        var text = new StringBuilder();
        text.AppendLine("### Micro benchmarks (BenchmarkDotNet, middleware invoked directly)");
        text.AppendLine();
        text.AppendLine(Invariant($"Job `{MicroBenchmarkConfig.JobId}`: {MicroBenchmarkConfig.LaunchCount} launch, {MicroBenchmarkConfig.WarmupCount} warm-up and {MicroBenchmarkConfig.IterationCount} measured iterations of {MicroBenchmarkConfig.IterationMilliseconds} ms; ± is the 99.9% confidence interval. Times are judged on the mean, which includes the response reset; \"net of reset\" subtracts the `Reset` row; \"CI spans target\" marks a verdict the noise could flip. Load average (1 min) before and after the run: {machineLoad}."));
        text.AppendLine();
        text.AppendLine("Listener: whether a MeterListener had every instrument of the `HealthEndpoint.Owin` meter enabled, with recording callbacks (README, \"Metrics\").");
        text.AppendLine();
        text.AppendLine("| Benchmark | Listener | Mean (ns) | ± (ns) | Median (ns) | Net of reset (ns) | Allocated (B) | Target | Time | Allocation |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---|---|---|");
        var all = summary.Reports.Where(report => report.BenchmarkCase.Descriptor.Type == typeof(MiddlewareBenchmarks)).ToList();
        var failed = false;
        foreach (var listener in new[] { false, true })
        {
            var measured = all
                .Where(report => IsListening(report) == listener)
                .ToDictionary(report => report.BenchmarkCase.Descriptor.WorkloadMethod.Name, report => Measure(report));
            Render(text, measured, listener ? "yes" : "no");
            failed |= measured.Values.Any(result => !result.Success);
        }

        if (failed)
        {
            text.AppendLine();
            text.AppendLine("Some benchmarks failed; see the BenchmarkDotNet log under artifacts/bench/micro.");
        }

        return text.ToString();
    }

    private static bool IsListening(BenchmarkReport report) =>
        report.BenchmarkCase.Parameters.Items.Any(parameter => parameter.Name == nameof(MiddlewareBenchmarks.Listener) && Equals(parameter.Value, true));

    private static void Render(StringBuilder text, Dictionary<string, Result> measured, string listener)
    {
        var reset = measured.TryGetValue(Reset, out var resetResult) ? resetResult.Mean : null;
        foreach (var target in Targets)
        {
            if (!measured.TryGetValue(target.Benchmark, out var result))
            {
                text.AppendLine(Invariant($"| {target.Benchmark} | {listener} | not run | | | | | {target.Description} | | |"));
                continue;
            }

            var net = result.Mean is { } mean && reset is { } resetMean && target.Benchmark is not (Direct or Wrapped or WrappedProbesOn or PathLookup or Reset)
                ? Nanoseconds(mean - resetMean)
                : string.Empty;
            var time = target.MaxNanoseconds is { } maxTime ? Verdict(result.Mean, result.Error, maxTime) : "–";
            var allocation = target.MaxBytes is { } maxBytes ? Verdict(result.Bytes, null, maxBytes) : "–";
            text.AppendLine(Invariant(
                $"| {target.Benchmark} | {listener} | {Nanoseconds(result.Mean)} | {Nanoseconds(result.Error)} | {Nanoseconds(result.Median)} | {net} | {Bytes(result.Bytes)} | {target.Description} | {time} | {allocation} |"));
        }

        text.AppendLine(PassThroughDeltaRow(measured, listener));
    }

    private static string PassThroughDeltaRow(Dictionary<string, Result> measured, string listener)
    {
        const string Name = "Pass-through delta (wrapped − direct)";
        if (!measured.TryGetValue(Wrapped, out var wrapped) || !measured.TryGetValue(Direct, out var direct)
            || wrapped.Mean is not { } wrappedMean || direct.Mean is not { } directMean)
        {
            return $"| {Name} | {listener} | not run | | | | | ≤ 2 ns | | |";
        }

        // The two intervals are independent, so their margins add in quadrature.
        var error = wrapped.Error is { } we && direct.Error is { } de ? Math.Sqrt((we * we) + (de * de)) : (double?)null;
        var delta = wrappedMean - directMean;
        return Invariant(
            $"| {Name} | {listener} | {Nanoseconds(delta)} | {Nanoseconds(error)} | {Nanoseconds(wrapped.Median - direct.Median)} | | | ≤ 2 ns | {Verdict(delta, error, MaxPassThroughDeltaNanoseconds)} | – |");
    }

    private static Result Measure(BenchmarkReport report)
    {
        var statistics = report.ResultStatistics;
        return new Result(
            report.Success && statistics is not null,
            statistics?.Mean,
            statistics?.ConfidenceInterval.Margin,
            statistics?.Median,
            report.Success ? report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) : null);
    }

    private static string Verdict(double? value, double? margin, double limit)
    {
        if (value is not { } actual)
        {
            return "not measured";
        }

        var verdict = actual <= limit ? "met" : "**not met**";
        return margin is { } error && actual - error <= limit && limit <= actual + error
            ? verdict + " (CI spans target)"
            : verdict;
    }

    private static string Nanoseconds(double? value) => value is { } actual ? actual.ToString("0.00", CultureInfo.InvariantCulture) : "n/a";

    private static string Bytes(long? value) => value is { } actual ? actual.ToString(CultureInfo.InvariantCulture) : "n/a";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record Target(string Benchmark, double? MaxNanoseconds, long? MaxBytes, string Description);

    private sealed record Result(bool Success, double? Mean, double? Error, double? Median, long? Bytes);
}
