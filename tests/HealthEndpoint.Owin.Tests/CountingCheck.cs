using System;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Tests;

/// <summary>A check that counts how often it was started and answers with the given task.</summary>
internal sealed class CountingCheck(Func<Task> outcome)
{
    private int _started;

    public int Started => Volatile.Read(ref _started);

    public Task Invoke(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _started);
        return outcome();
    }
}
