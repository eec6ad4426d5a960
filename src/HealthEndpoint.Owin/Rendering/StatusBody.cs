using System.Globalization;
using System.Threading;

namespace HealthEndpoint.Owin;

/// <summary>A run's compact status document, encoded once: every status answer that reuses the run writes these bytes as they are.</summary>
internal sealed class StatusBody
{
    private StatusBody(CheckRun run)
    {
        Run = run;
        Healthy = run.Healthy;
        Bytes = StatusJson.Encode(run.Checks, run.Healthy);
        ContentLength = Bytes.Length.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The run these bytes render.</summary>
    public CheckRun Run { get; }

    /// <summary>Whether the run passed: 200, else 503.</summary>
    public bool Healthy { get; }

    /// <summary>The canonical JSON body.</summary>
    public byte[] Bytes { get; }

    /// <summary>The body length, formatted for the Content-Length header.</summary>
    public string ContentLength { get; }

    /// <summary>Keeps the body of the latest run, so that a run is encoded once however many answers reuse it.</summary>
    /// <remarks>
    /// The runner hands the same <see cref="CheckRun"/> to every request while it is fresh; the lock is taken only
    /// by the first answer of a new run, never by a cached answer.
    /// </remarks>
    internal sealed class Cache
    {
        private readonly object _gate = new();
        private StatusBody? _latest;

        public StatusBody For(CheckRun run)
        {
            var latest = Volatile.Read(ref _latest);
            if (latest is not null && ReferenceEquals(latest.Run, run))
            {
                return latest;
            }

            lock (_gate)
            {
                latest = _latest;
                if (latest is null || !ReferenceEquals(latest.Run, run))
                {
                    latest = new StatusBody(run);
                    Volatile.Write(ref _latest, latest);
                }

                return latest;
            }
        }
    }
}
