using System;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Tests;

/// <summary>
/// A check that ignores its token and ends only when the test releases it, as a driver against a frozen server does;
/// it records the token it was given, so that a test can tell whether the run's deadline had passed.
/// </summary>
internal sealed class GatedCheck
{
    // Bounds only the blocked thread of a test that failed before releasing it.
    private static readonly TimeSpan LongestBlock = TimeSpan.FromMinutes(1);

    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationToken _token;
    private int _entered;
    private int _returned;

    /// <summary>True once the check was called.</summary>
    public bool Entered => Volatile.Read(ref _entered) == 1;

    /// <summary>True once <see cref="Block"/> has returned.</summary>
    public bool Returned => Volatile.Read(ref _returned) == 1;

    /// <summary>The token the check was given; <see cref="CancellationToken.None"/> while it was not called.</summary>
    public CancellationToken Token => Entered ? _token : CancellationToken.None;

    /// <summary>Completes when <see cref="Block"/> has returned.</summary>
    public Task Finished => _finished.Task;

    public void Release() => _gate.TrySetResult();

    /// <summary>The check as a task that completes at the release.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        Enter(cancellationToken);
        return _gate.Task;
    }

    /// <summary>The check that blocks its thread until the release before it returns a completed task.</summary>
    public Task Block(CancellationToken cancellationToken)
    {
        Enter(cancellationToken);
        _ = _gate.Task.Wait(LongestBlock, CancellationToken.None);
        Volatile.Write(ref _returned, 1);
        _finished.TrySetResult();
        return Task.CompletedTask;
    }

    private void Enter(CancellationToken cancellationToken)
    {
        _token = cancellationToken;
        Volatile.Write(ref _entered, 1);
    }
}
