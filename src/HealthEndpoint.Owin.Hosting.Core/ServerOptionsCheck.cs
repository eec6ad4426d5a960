using System;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;

namespace HealthEndpoint.Owin.Hosting.Core;

/// <summary>Checks the settings both hosts' options classes declare (each in its own project, as its public API).</summary>
internal static class ServerOptionsCheck
{
    /// <summary>What is wrong with the shared settings, or <see langword="null"/>; the host throws it as an <see cref="ArgumentException"/>.</summary>
    public static string? SharedProblem(IList<string> prefixes, int responseBufferSize, TimeSpan drainDelay, TimeSpan shutdownTimeout, ILogger? logger)
    {
        if (prefixes.Count == 0)
        {
            return "At least one prefix is required, for example http://127.0.0.1:5080/.";
        }

        if (responseBufferSize < 0 || drainDelay < TimeSpan.Zero || shutdownTimeout < TimeSpan.Zero)
        {
            return "ResponseBufferSize, DrainDelay and ShutdownTimeout must not be negative.";
        }

        return logger is null ? "Logger must not be null." : null;
    }
}
