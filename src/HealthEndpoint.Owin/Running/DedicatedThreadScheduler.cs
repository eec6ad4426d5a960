using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin;

/// <summary>
/// Runs tasks one at a time on a background thread of its own, started on first use and ended after a while
/// without work. Each check slot starts its operations here.
/// </summary>
/// <remarks>
/// A check may block before its first await (DbConnection.OpenAsync's default implementation is synchronous).
/// On the thread pool that would take a pool thread, which the timer continuation enforcing the deadline may
/// need; a new thread per run costs CPU on every status request. One long-lived thread per slot costs neither, and a slot never has more than one operation to start at a time.
/// </remarks>
internal sealed class DedicatedThreadScheduler : TaskScheduler
{
    private static readonly TimeSpan IdleLifetime = TimeSpan.FromSeconds(30);

    private readonly string _threadName;
    private readonly object _gate = new();
    private readonly Queue<Task> _queue = new();
    private bool _threadRunning;

    public DedicatedThreadScheduler(string threadName)
    {
        _threadName = threadName;
    }

    public override int MaximumConcurrencyLevel => 1;

    protected override void QueueTask(Task task)
    {
        lock (_gate)
        {
            _queue.Enqueue(task);
            if (_threadRunning)
            {
                Monitor.Pulse(_gate);
                return;
            }

            _threadRunning = true;
        }

        new Thread(RunQueuedTasks) { IsBackground = true, Name = _threadName }.Start();
    }

    // Always queued: inlining would run a check on the thread that asked for it, which is what this avoids.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (_gate)
        {
            return _queue.ToArray();
        }
    }

    private void RunQueuedTasks()
    {
        while (true)
        {
            Task task;
            lock (_gate)
            {
                while (_queue.Count == 0)
                {
                    if (!Monitor.Wait(_gate, IdleLifetime) && _queue.Count == 0)
                    {
                        _threadRunning = false;
                        return;
                    }
                }

                task = _queue.Dequeue();
            }

            TryExecuteTask(task);
        }
    }
}
