using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace HealthEndpoint.Owin.Tests.Build;

/// <summary>
/// One set of log event ids for the whole product: every <c>new EventId(id, "Name")</c> under src/ has an id and a
/// name no other event has, in any package (an operator filters on the id without knowing which package logged).
/// </summary>
[TestFixture]
public sealed partial class EventIdTests
{
    [Test]
    public void EveryEventIdUnderSrc_IsUniqueAcrossPackages()
    {
        var events = Scan(Repository.SourceFiles("*.cs"));

        Assert.That(events, Has.Count.GreaterThan(20), "the scan finds the product's events");
        Assert.That(Clashes(events), Is.Empty);
    }

    [Test]
    public void Clashes_ControlTwoPackagesShareAnId_Reported()
    {
        var events = Scan(
        [
            ("src/A/ALog.cs", """new EventId(101, "AcceptFailed")"""),
            ("src/B/BLog.cs", """new EventId(101, "HealthCheckDegraded")"""),
        ]);

        Assert.That(Clashes(events), Is.EqualTo(new[] { "id 101: AcceptFailed (src/A/ALog.cs), HealthCheckDegraded (src/B/BLog.cs)" }));
    }

    /// <summary>The events defined under src/: id, name and file.</summary>
    internal static IReadOnlyList<(int Id, string Name, string File)> DefinedEvents() => Scan(Repository.SourceFiles("*.cs"));

    private static List<(int Id, string Name, string File)> Scan(IEnumerable<(string File, string Text)> sources) =>
        sources
            .SelectMany(source => EventPattern().Matches(source.Text).Select(match => (Id: int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Name: match.Groups[2].Value, source.File)))
            .ToList();

    private static List<string> Clashes(IReadOnlyList<(int Id, string Name, string File)> events) =>
        events.GroupBy(e => e.Id).Where(group => group.Count() > 1)
            .Select(group => $"id {group.Key}: " + string.Join(", ", group.Select(e => $"{e.Name} ({e.File})")))
            .Concat(events.GroupBy(e => e.Name).Where(group => group.Count() > 1)
                .Select(group => $"name {group.Key}: " + string.Join(", ", group.Select(e => $"{e.Id} ({e.File})"))))
            .ToList();

    [GeneratedRegex("""new EventId\((\d+), "(\w+)"\)""")]
    private static partial Regex EventPattern();
}
