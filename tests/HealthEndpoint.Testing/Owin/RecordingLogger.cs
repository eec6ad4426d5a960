using System;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;

namespace HealthEndpoint.Owin.Testing;

/// <summary>One captured log entry.</summary>
public sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);

/// <summary>A logger factory that keeps every entry in memory, so tests can see what reached the server log.</summary>
public sealed class RecordingLoggerFactory : ILoggerFactory
{
    private readonly List<LogEntry> _entries = [];

    /// <summary>A snapshot of every entry so far.</summary>
    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_entries)
            {
                return _entries.ToArray();
            }
        }
    }

    /// <summary>Removes every entry so far and returns them: what a server logged while it started, apart from what follows.</summary>
    public IReadOnlyList<LogEntry> TakeAll()
    {
        lock (_entries)
        {
            var taken = _entries.ToArray();
            _entries.Clear();
            return taken;
        }
    }

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new RecordingLogger(this, categoryName);

    /// <inheritdoc />
    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private void Add(LogEntry entry)
    {
        lock (_entries)
        {
            _entries.Add(entry);
        }
    }

    private sealed class RecordingLogger(RecordingLoggerFactory factory, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            factory.Add(new LogEntry(category, logLevel, eventId, formatter(state, exception), exception));
    }
}
