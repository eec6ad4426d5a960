using System;
using Microsoft.Extensions.Logging;

namespace Owin.HealthEndpoint.Hosting.Kestrel;

/// <summary>
/// Gives Kestrel the server's one logger, from <see cref="LogLevel.Warning"/> up: rejected connections, heartbeat
/// stalls and failed shutdowns reach the operator; Kestrel's per-connection debug chatter does not.
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
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
