using System;
using System.Threading;

namespace HealthEndpoint.Owin.Host.HttpListener;

/// <summary>
/// Holds back the managed HttpListener's own socket callbacks that begin while <see cref="System.Net.HttpListener.Start"/>
/// runs, until the gate is disposed after Start() has returned or thrown.
/// </summary>
/// <remarks>
/// <para>
/// Start() builds an endpoint listener whose constructor issues its first accept before it creates the table that
/// accepted connections are registered in. A connection that arrives in that moment is accepted on a thread-pool
/// thread, which finds the table missing: an ArgumentNullException in HttpListener's accept callback, with no code
/// of ours on the stack to catch it, so the process ends.
/// </para>
/// <para>
/// That callback runs in the execution context captured when the accept was issued, inside Start(). An
/// <see cref="AsyncLocal{T}"/> with a change handler is told whenever a thread enters a context that carries it,
/// before the callback runs; the handler makes that thread wait until the gate opens, by when the constructor has
/// created its table. The starting thread itself never waits, and no thread waits longer than
/// <see cref="LongestHold"/>.
/// </para>
/// <para>
/// The listener's callbacks keep the context they were issued in for the listener's lifetime, so the handler stays
/// attached to them: once the gate is open it costs one flag check per callback.
/// </para>
/// </remarks>
internal sealed class StartCallbackGate : IDisposable
{
    private static readonly TimeSpan LongestHold = TimeSpan.FromSeconds(5);
    private static readonly AsyncLocal<StartCallbackGate?> Current = new(OnContextChanged);

    // Never disposed: a callback can enter the context long after Start() (its Wait must not throw, an exception in
    // the handler ends the process), and without a read of its WaitHandle it holds no operating-system handle.
    private readonly ManualResetEventSlim _open = new();
    private readonly int _startingThread = Environment.CurrentManagedThreadId;

    private StartCallbackGate()
    {
    }

    /// <summary>Closes a gate for the callbacks issued from this thread's execution context until it is disposed.</summary>
    public static StartCallbackGate Close()
    {
        var gate = new StartCallbackGate();
        Current.Value = gate;
        return gate;
    }

    /// <summary>Opens the gate and takes it off this thread's execution context.</summary>
    public void Dispose()
    {
        Current.Value = null;
        _open.Set();
    }

    private static void OnContextChanged(AsyncLocalValueChangedArgs<StartCallbackGate?> change)
    {
        if (change.ThreadContextChanged && change.CurrentValue is { } gate && Environment.CurrentManagedThreadId != gate._startingThread)
        {
            gate._open.Wait(LongestHold);
        }
    }
}
