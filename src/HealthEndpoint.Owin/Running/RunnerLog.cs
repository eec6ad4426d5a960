using System;
using Microsoft.Extensions.Logging;

namespace Owin.HealthEndpoint;

/// <summary>The runner's log messages, defined once so that logging allocates no format state per call.</summary>
/// <remarks>Event ids and names are fixed: operators filter on them.</remarks>
internal static class RunnerLog
{
    private static readonly Action<ILogger, string, long, Exception?> CheckFailedMessage =
        LoggerMessage.Define<string, long>(
            LogLevel.Error,
            new EventId(1, "HealthCheckFailed"),
            "Health check '{Check}' failed after {ElapsedMilliseconds} ms; reported fail.");

    private static readonly Action<ILogger, string, long, Exception?> CheckTimedOutMessage =
        LoggerMessage.Define<string, long>(
            LogLevel.Error,
            new EventId(2, "HealthCheckTimedOut"),
            "Health check '{Check}' did not finish within its {TimeoutMilliseconds} ms deadline; reported fail. No new operation starts against it until the running one ends.");

    private static readonly Action<ILogger, Exception?> RunFailedMessage =
        LoggerMessage.Define(
            LogLevel.Error,
            new EventId(3, "HealthCheckRunFailed"),
            "The health check run failed unexpectedly; every configured check is reported fail.");

    public static void CheckFailed(ILogger logger, string check, long elapsedMilliseconds, Exception? exception) =>
        CheckFailedMessage(logger, check, elapsedMilliseconds, exception);

    public static void CheckTimedOut(ILogger logger, string check, long timeoutMilliseconds) =>
        CheckTimedOutMessage(logger, check, timeoutMilliseconds, null);

    public static void RunFailed(ILogger logger, Exception exception) =>
        RunFailedMessage(logger, exception);
}
