using System;
using System.Collections.Generic;
using System.Globalization;

namespace HealthEndpoint.Owin.LoadBench;

/// <summary>The command line: run lengths, rounds and where the report goes.</summary>
/// <remarks>
/// Defaults keep a full run at about six minutes on the 2-core VM: 8 pairs × 2 sides × (2 s warm-up +
/// 3 rounds × 6 s), plus server starts and the database meter's settling. Three rounds make the median a real
/// median: on this VM a single round can be off by a third.
/// </remarks>
internal sealed class BenchSettings
{
    public const string Usage =
        "Usage: HealthEndpoint.Owin.LoadBench [--duration <seconds>] [--warmup <seconds>] [--rounds <n>] [--pairs <list>] [--output <file.md>]\n" +
        "  --duration  length of each measured wrk run, whole seconds (default 6)\n" +
        "  --warmup    unreported warm-up run of each side before its pair, whole seconds, 0 = none (default 2)\n" +
        "  --rounds    A B rounds per pair, at least 2 (default 3)\n" +
        "  --pairs     comma-separated pair numbers to run, e.g. 1,3 (default: all ten)\n" +
        "  --output    markdown report, also printed to stdout (default artifacts/bench/load.md)";

    public int DurationSeconds { get; private set; } = 6;

    public int WarmupSeconds { get; private set; } = 2;

    public int Rounds { get; private set; } = 3;

    public string OutputPath { get; private set; } = "artifacts/bench/load.md";

    /// <summary>The pair numbers (1-10) to run; all by default.</summary>
    public IReadOnlySet<int> Pairs { get; private set; } = new HashSet<int> { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

    /// <summary>The arguments as given, for the report's reproduce line.</summary>
    public string CommandLine { get; private set; } = string.Empty;

    /// <summary>Parses the arguments.</summary>
    /// <exception cref="ArgumentException">An unknown option or a bad value; the message names it.</exception>
    public static BenchSettings Parse(string[] args)
    {
        var settings = new BenchSettings { CommandLine = string.Join(' ', args) };
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                throw new ArgumentException(Usage);
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{name} needs a value.{Environment.NewLine}{Usage}");
            }

            var value = args[++i];
            switch (name)
            {
                case "--duration":
                    settings.DurationSeconds = ParseWhole(name, value, minimum: 1, maximum: 120);
                    break;
                case "--warmup":
                    settings.WarmupSeconds = ParseWhole(name, value, minimum: 0, maximum: 60);
                    break;
                case "--rounds":
                    settings.Rounds = ParseWhole(name, value, minimum: 2, maximum: 10);
                    break;
                case "--pairs":
                    settings.Pairs = ParsePairs(value);
                    break;
                case "--output":
                    settings.OutputPath = value;
                    break;
                default:
                    throw new ArgumentException($"Unknown option {name}.{Environment.NewLine}{Usage}");
            }
        }

        return settings;
    }

    private static HashSet<int> ParsePairs(string value)
    {
        var pairs = new HashSet<int>();
        foreach (var item in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            pairs.Add(ParseWhole("--pairs", item, minimum: 1, maximum: 10));
        }

        return pairs.Count > 0 ? pairs : throw new ArgumentException("--pairs needs at least one pair number from 1 to 10.");
    }

    private static int ParseWhole(string name, string value, int minimum, int maximum)
    {
        // wrk's -d takes whole seconds only, so the options do too.
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < minimum || number > maximum)
        {
            throw new ArgumentException($"{name} must be a whole number from {minimum} to {maximum}, not '{value}'.");
        }

        return number;
    }
}
