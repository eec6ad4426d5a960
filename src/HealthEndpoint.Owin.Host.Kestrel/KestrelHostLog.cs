using System;
using Microsoft.Extensions.Logging;

namespace Owin.HealthEndpoint.Hosting.Kestrel;

/// <summary>The server's log messages; the event ids and names are the HttpListener host's where they mean the same.</summary>
internal static class KestrelHostLog
{
    private static readonly Action<ILogger, string, string, bool, Exception?> AppFailedMessage =
        LoggerMessage.Define<string, string, bool>(
            LogLevel.Error,
            new EventId(100, "AppFailed"),
            "The app failed on {Method} {Path} (response started: {Started}).");

    private static readonly Action<ILogger, int, Exception?> StopTimedOutMessage =
        LoggerMessage.Define<int>(
            LogLevel.Warning,
            new EventId(102, "StopTimedOut"),
            "{Count} request(s) were still running when the shutdown timeout passed; they were cancelled.");

    private static readonly Action<ILogger, long, Exception?> DrainingMessage =
        LoggerMessage.Define<long>(
            LogLevel.Information,
            new EventId(103, "Draining"),
            "Draining: still serving for {DelayMilliseconds} ms so that load balancers see readiness fail before the listener closes.");

    private static readonly Action<ILogger, long, Exception?> ConnectionsRejectedMessage =
        LoggerMessage.Define<long>(
            LogLevel.Warning,
            new EventId(111, "ConnectionsRejected"),
            "{Count} connection(s) closed unanswered since the last report: the connection cap is reached (see MaxConcurrentConnections). Reported at most every 10 s.");

    public static void AppFailed(ILogger logger, string method, string path, bool started, Exception exception) =>
        AppFailedMessage(logger, method, path, started, exception);

    public static void StopTimedOut(ILogger logger, int count) => StopTimedOutMessage(logger, count, null);

    public static void ConnectionsRejected(ILogger logger, long count) => ConnectionsRejectedMessage(logger, count, null);

    public static void Draining(ILogger logger, long delayMilliseconds) => DrainingMessage(logger, delayMilliseconds, null);
}
