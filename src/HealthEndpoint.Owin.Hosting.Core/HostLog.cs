using System;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;

namespace HealthEndpoint.Owin.Hosting.Core;

/// <summary>
/// Both hosts' log messages, one event id each (100-119 belong to the hosts). Some are one transport's only:
/// StartRaced and the descriptor/slot watch are HttpListener's, ConnectionsRejected is Kestrel's.
/// </summary>
internal static class HostLog
{
    private static readonly Action<ILogger, string, string, bool, Exception?> AppFailedMessage =
        LoggerMessage.Define<string, string, bool>(
            LogLevel.Error,
            new EventId(100, "AppFailed"),
            "The app failed on {Method} {Path} (response started: {Started}).");

    private static readonly Action<ILogger, Exception?> AcceptFailedMessage =
        LoggerMessage.Define(LogLevel.Error, new EventId(101, "AcceptFailed"), "Accepting a request failed.");

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

    private static readonly Action<ILogger, int, Exception?> StartRacedMessage =
        LoggerMessage.Define<int>(
            LogLevel.Warning,
            new EventId(104, "StartRaced"),
            "HttpListener failed to start (attempt {Attempt}) because a connection arrived while it was binding; starting a new listener.");

    private static readonly Action<ILogger, long, long, Exception?> OpenFilesNearLimitMessage =
        LoggerMessage.Define<long, long>(
            LogLevel.Warning,
            new EventId(105, "OpenFilesNearLimit"),
            "{Open} of {Limit} file descriptors are open: new connections fail (EMFILE) and HttpListener retries its accept without a pause. Put a proxy with a connection limit in front, or raise the open-file limit (ulimit -n).");

    private static readonly Action<ILogger, long, long, Exception?> OpenFilesRecoveredMessage =
        LoggerMessage.Define<long, long>(
            LogLevel.Information,
            new EventId(106, "OpenFilesRecovered"),
            "{Open} of {Limit} file descriptors are open again; new connections are accepted.");

    private static readonly Action<ILogger, int, int, Exception?> AcceptStalledMessage =
        LoggerMessage.Define<int, int>(
            LogLevel.Warning,
            new EventId(107, "AcceptStalled"),
            "All {Slots} request slots have been taken for {Seconds} s: new requests, health probes included, wait to be accepted.");

    private static readonly Action<ILogger, int, Exception?> AcceptResumedMessage =
        LoggerMessage.Define<int>(
            LogLevel.Information,
            new EventId(108, "AcceptResumed"),
            "A request slot is free again after {Seconds} s; accepting requests.");

    private static readonly Action<ILogger, string, string, int, string, Exception?> ClientErrorMessage =
        LoggerMessage.Define<string, string, int, string>(
            LogLevel.Information,
            new EventId(109, "ClientError"),
            "The client's request body was rejected on {Method} {Path}: {StatusCode} ({Reason}).");

    private static readonly Action<ILogger, string, string, Exception?> RequestRefusedMessage =
        LoggerMessage.Define<string, string>(
            LogLevel.Information,
            new EventId(113, "RequestRefused"),
            "A {Method} request was refused with 400 before the app ran: {Problem}.");

    private static readonly Action<ILogger, string, string, string, Exception?> ClientGoneMessage =
        LoggerMessage.Define<string, string, string>(
            LogLevel.Information,
            new EventId(114, "ClientGone"),
            "The client of {Method} {Path} left before its response was sent; the app stopped with {Exception}.");

    private static readonly Action<ILogger, long, Exception?> ConnectionsRejectedMessage =
        LoggerMessage.Define<long>(
            LogLevel.Warning,
            new EventId(111, "ConnectionsRejected"),
            "{Count} connection(s) closed unanswered since the last report: the connection cap is reached (see MaxConcurrentConnections). Reported at most every 10 s.");

    // Worded as Kestrel's own "Now listening on:" line (which KestrelServer alone does not write), one line for every
    // prefix: the first thing an operator looks for after starting the app.
    private static readonly Action<ILogger, string, Exception?> ListeningMessage =
        LoggerMessage.Define<string>(LogLevel.Information, new EventId(112, "Listening"), "Now listening on: {Prefixes}");

    public static void OpenFilesNearLimit(ILogger logger, long open, long limit) => OpenFilesNearLimitMessage(logger, open, limit, null);

    public static void OpenFilesRecovered(ILogger logger, long open, long limit) => OpenFilesRecoveredMessage(logger, open, limit, null);

    public static void AcceptStalled(ILogger logger, int slots, int seconds) => AcceptStalledMessage(logger, slots, seconds, null);

    public static void AcceptResumed(ILogger logger, int seconds) => AcceptResumedMessage(logger, seconds, null);

    public static void AppFailed(ILogger logger, string method, string path, bool started, Exception exception) =>
        AppFailedMessage(logger, method, path, started, exception);

    public static void AcceptFailed(ILogger logger, Exception exception) => AcceptFailedMessage(logger, exception);

    public static void StopTimedOut(ILogger logger, int count) => StopTimedOutMessage(logger, count, null);

    public static void StartRaced(ILogger logger, int attempt, Exception exception) => StartRacedMessage(logger, attempt, exception);

    public static void ClientError(ILogger logger, string method, string path, int statusCode, string reason) =>
        ClientErrorMessage(logger, method, path, statusCode, reason, null);

    public static void RequestRefused(ILogger logger, string method, string problem) => RequestRefusedMessage(logger, method, problem, null);

    public static void ClientGone(ILogger logger, string method, string path, string exception) => ClientGoneMessage(logger, method, path, exception, null);

    public static void ConnectionsRejected(ILogger logger, long count) => ConnectionsRejectedMessage(logger, count, null);

    public static void Draining(ILogger logger, long delayMilliseconds) => DrainingMessage(logger, delayMilliseconds, null);

    public static void Listening(ILogger logger, IEnumerable<string> prefixes) => ListeningMessage(logger, string.Join(", ", prefixes), null);
}
