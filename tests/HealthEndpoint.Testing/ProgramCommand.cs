using System;
using System.Collections.Generic;

namespace HealthEndpoint.Owin.Testing;

/// <summary>How to start a program: the file, its arguments and its extra environment.</summary>
/// <param name="FileName">The program, as a path or a name looked up on <c>PATH</c>.</param>
/// <param name="Arguments">The arguments, each passed as it is (no shell quoting).</param>
public sealed record ProgramCommand(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>Environment variables set for the program, on top of this process's own.</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>The file name and the arguments separated by spaces, for messages.</summary>
    public string Text => $"{FileName} {string.Join(' ', Arguments)}";
}
