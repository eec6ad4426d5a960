using System;
using Microsoft.Extensions.Logging;

namespace HealthEndpoint.Owin;

/// <summary>The runner's log messages, defined once so that logging allocates no format state per call.</summary>
/// <remarks>
/// Event ids and names are fixed (README, "Logs"): operators filter on them. No error-level line carries an
/// exception object or a stack trace; <see cref="FailureDetail"/> has the full exception, at debug level.
/// </remarks>
internal static class RunnerLog
{
    private static readonly char[] LineBreaks = ['\r', '\n'];

    private static readonly Action<ILogger, string, long, string, string, Exception?> CheckFailedMessage =
        LoggerMessage.Define<string, long, string, string>(
            LogLevel.Error,
            new EventId(1, "HealthCheckFailed"),
            "Health check '{Check}' failed after {ElapsedMilliseconds} ms: {ExceptionType}: {ExceptionMessage}");

    private static readonly Action<ILogger, string, long, Exception?> CheckTimedOutMessage =
        LoggerMessage.Define<string, long>(
            LogLevel.Error,
            new EventId(2, "HealthCheckTimedOut"),
            "Health check '{Check}' did not finish within its {TimeoutMilliseconds} ms deadline; reported fail. No new operation starts against it until the running one ends.");

    private static readonly Action<ILogger, string, string, Exception?> RunFailedMessage =
        LoggerMessage.Define<string, string>(
            LogLevel.Error,
            new EventId(3, "HealthCheckRunFailed"),
            "The health check run failed unexpectedly; every configured check is reported fail. {ExceptionType}: {ExceptionMessage}");

    private static readonly Action<ILogger, string, double, int, string, Exception?> StillFailingMessage =
        LoggerMessage.Define<string, double, int, string>(
            LogLevel.Warning,
            new EventId(4, "HealthCheckStillFailing"),
            "Health check '{Check}' still failing after {OutageSeconds:0.#} s ({FailedRuns} failed runs); last: {LastFailure}");

    private static readonly Action<ILogger, string, double, int, Exception?> RecoveredMessage =
        LoggerMessage.Define<string, double, int>(
            LogLevel.Information,
            new EventId(5, "HealthCheckRecovered"),
            "Health check '{Check}' recovered after {OutageSeconds:0.#} s of failure ({FailedRuns} failed runs).");

    private static readonly Action<ILogger, string, Exception?> FailureDetailMessage =
        LoggerMessage.Define<string>(
            LogLevel.Debug,
            new EventId(6, "HealthCheckFailureDetail"),
            "Health check '{Check}' failed with this exception.");

    public static void CheckFailed(ILogger logger, string check, long elapsedMilliseconds, Exception exception) =>
        CheckFailedMessage(logger, check, elapsedMilliseconds, TypeName(exception), OneLine(exception.Message), null);

    public static void CheckTimedOut(ILogger logger, string check, long timeoutMilliseconds) =>
        CheckTimedOutMessage(logger, check, timeoutMilliseconds, null);

    /// <summary>The run itself failed (a bug): the error line, and the full exception at debug.</summary>
    public static void RunFailed(ILogger logger, Exception exception)
    {
        RunFailedMessage(logger, TypeName(exception), OneLine(exception.Message), null);
        FailureDetailMessage(logger, "(every check)", exception);
    }

    public static void StillFailing(ILogger logger, string check, TimeSpan outage, int failedRuns, string lastFailure) =>
        StillFailingMessage(logger, check, outage.TotalSeconds, failedRuns, lastFailure, null);

    public static void Recovered(ILogger logger, string check, TimeSpan outage, int failedRuns) =>
        RecoveredMessage(logger, check, outage.TotalSeconds, failedRuns, null);

    /// <summary>The exception's type name, for the error line.</summary>
    public static string TypeName(Exception exception) => exception.GetType().FullName ?? exception.GetType().Name;

    /// <summary>A message on one line, so that an error is one line in a plain-text log.</summary>
    public static string OneLine(string message) =>
        message.IndexOfAny(LineBreaks) < 0 ? message : message.Replace("\r\n", " ").Replace('\n', ' ').Replace('\r', ' ');

    /// <summary>The full exception (stack trace included), at debug level only.</summary>
    public static void FailureDetail(ILogger logger, string check, Exception exception) =>
        FailureDetailMessage(logger, check, exception);
}
