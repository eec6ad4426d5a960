using System;
using System.Diagnostics;
using System.Threading;
using HealthEndpoint.Owin.Host.HttpListener;

namespace HealthEndpoint.Owin.Hosting.Tests;

/// <summary>
/// A callback that runs in an execution context captured while the gate was closed (as HttpListener's accept
/// callbacks issued inside Start() do) waits until the gate is disposed; other callbacks do not wait.
/// </summary>
[TestFixture]
public sealed class StartCallbackGateTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Test]
    public void Callback_InContextCapturedWhileClosed_WaitsUntilGateIsDisposed()
    {
        var disposed = false;
        bool? sawDisposed = null;
        Thread callback;
        using (StartCallbackGate.Close())
        {
            var context = ExecutionContext.Capture()!;
            callback = RunOnOwnThread(context, () => sawDisposed = Volatile.Read(ref disposed));
            WaitUntilBlockedOrDone(callback);
            Volatile.Write(ref disposed, true);
        }

        Assert.That(callback.Join(Deadline), Is.True, "the callback ran once the gate was disposed");
        Assert.That(sawDisposed, Is.True, "the callback ran only after the gate was disposed");
    }

    [Test]
    public void Callback_InContextCapturedBeforeClose_RunsWhileGateIsClosed()
    {
        var context = ExecutionContext.Capture()!;
        var ran = false;
        using (StartCallbackGate.Close())
        {
            var callback = RunOnOwnThread(context, () => ran = true);
            Assert.That(callback.Join(Deadline), Is.True, "the control: a context without the gate does not wait");
        }

        Assert.That(ran, Is.True);
    }

    // UnsafeStart: the thread itself must not inherit this thread's context, only the callback runs in the given one.
    private static Thread RunOnOwnThread(ExecutionContext context, Action callback)
    {
        var thread = new Thread(() => ExecutionContext.Run(context, _ => callback(), null)) { IsBackground = true };
        thread.UnsafeStart();
        return thread;
    }

    private static void WaitUntilBlockedOrDone(Thread thread)
    {
        var clock = Stopwatch.StartNew();
        while (thread.IsAlive && (thread.ThreadState & System.Threading.ThreadState.WaitSleepJoin) == 0)
        {
            Assert.That(clock.Elapsed, Is.LessThan(Deadline), "the callback thread neither waited nor finished");
            Thread.Sleep(1);
        }
    }
}
