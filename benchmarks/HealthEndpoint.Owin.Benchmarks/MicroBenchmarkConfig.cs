using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using Perfolizer.Horology;

namespace HealthEndpoint.Owin.Benchmarks;

/// <summary>The one job and the exporters of the micro suite.</summary>
/// <remarks>
/// The default job takes minutes per benchmark; this one runs the whole suite in about a minute on a 2-core
/// machine. It keeps one process per benchmark on the host runtime (BenchmarkDotNet 0.14.0 has no .NET 10
/// moniker) and enough short iterations for a confidence interval of a few percent on this suite.
/// </remarks>
internal static class MicroBenchmarkConfig
{
    public const string JobId = "Micro";

    public const int LaunchCount = 1;
    public const int WarmupCount = 4;
    public const int IterationCount = 15;
    public const int IterationMilliseconds = 150;

    public static IConfig Create(string artifactsPath) =>
        ManualConfig.CreateMinimumViable()
            .AddJob(Job.Default
                .WithLaunchCount(LaunchCount)
                .WithWarmupCount(WarmupCount)
                .WithIterationCount(IterationCount)
                .WithIterationTime(TimeInterval.FromMilliseconds(IterationMilliseconds))
                .WithId(JobId))
            .AddColumn(StatisticColumn.Median, StatisticColumn.P95)
            // The baseline (a no-op delegate call) measures about 0 ns after BenchmarkDotNet subtracts its own call
            // overhead, so every ratio to it is a division by ~0 and prints '?'. micro.md reports the difference.
            .HideColumns(Column.Ratio, Column.RatioSD, Column.AllocRatio)
            .AddExporter(MarkdownExporter.GitHub)
            .WithSummaryStyle(SummaryStyle.Default.WithTimeUnit(TimeUnit.Nanosecond))
            .WithArtifactsPath(artifactsPath);
}
