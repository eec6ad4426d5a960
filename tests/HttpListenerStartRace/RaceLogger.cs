using System;
using System.Threading;
using Microsoft.Extensions.Logging;

namespace HttpListenerStartRace;

/// <summary>The server's logger: prints <c>raced</c> for each StartRaced entry and counts them; drops the rest.</summary>
internal sealed class RaceLogger : ILogger
{
    private int _races;

    public int Races => Volatile.Read(ref _races);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (eventId.Name == "StartRaced")
        {
            Interlocked.Increment(ref _races);
            Console.WriteLine("raced");
        }
    }
}
