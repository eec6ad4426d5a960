using System;
using Microsoft.Extensions.Logging;

namespace HealthEndpoint.Owin.Plugin;

/// <summary>The pipeline's startup log messages.</summary>
internal static class PipelineLog
{
    private static readonly Action<ILogger, string, Exception?> WrappedMessage =
        LoggerMessage.Define<string>(LogLevel.Information, new EventId(10, "PluginWrapped"), "Plugin '{Plugin}' wraps the app.");

    private static readonly Action<ILogger, string, Exception?> SkippedMessage =
        LoggerMessage.Define<string>(LogLevel.Information, new EventId(11, "PluginSkipped"), "Plugin '{Plugin}' has no wrap contract; skipped.");

    public static void Wrapped(ILogger logger, string plugin) => WrappedMessage(logger, plugin, null);

    public static void Skipped(ILogger logger, string plugin) => SkippedMessage(logger, plugin, null);
}
