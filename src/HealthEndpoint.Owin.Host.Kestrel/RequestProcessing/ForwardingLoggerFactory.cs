using System;
using System.Threading;
using HealthEndpoint.Owin.Hosting.Core;
using Microsoft.Extensions.Logging;

namespace HealthEndpoint.Owin.Host.Kestrel;

/// <summary>
/// Gives Kestrel the server's one logger, from <see cref="LogLevel.Warning"/> up: heartbeat stalls and failed
/// shutdowns reach the operator; Kestrel's per-connection debug chatter does not. Rejected connections (the cap is
/// reached) are counted and reported at most once every 10 s: a flood must not become a flood of log lines, which a
/// blocking console logger would also turn into a slower accept loop.
/// </summary>
internal sealed class ForwardingLoggerFactory : ILoggerFactory
{
    private readonly ForwardingLogger _logger;

    public ForwardingLoggerFactory(ILogger logger)
    {
        _logger = new ForwardingLogger(logger);
    }

    public ILogger CreateLogger(string categoryName) => _logger;

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("The server logs to its one configured logger.");

    public void Dispose()
    {
    }

    private sealed class ForwardingLogger(ILogger inner) : ILogger
    {
        private static readonly TimeSpan RejectionReportInterval = TimeSpan.FromSeconds(10);
        private long _rejected;
        private long _lastReport = -(long)RejectionReportInterval.TotalMilliseconds;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            if (eventId.Name == "ConnectionRejected")
            {
                ReportRejection();
                return;
            }

            inner.Log(logLevel, eventId, state, exception, formatter);
        }

        private void ReportRejection()
        {
            Interlocked.Increment(ref _rejected);
            var now = Environment.TickCount64;
            var last = Interlocked.Read(ref _lastReport);
            if (now - last < (long)RejectionReportInterval.TotalMilliseconds || Interlocked.CompareExchange(ref _lastReport, now, last) != last)
            {
                return;
            }

            HostLog.ConnectionsRejected(inner, Interlocked.Exchange(ref _rejected, 0));
        }
    }
}
