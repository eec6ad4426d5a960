using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Testing;

/// <summary>
/// An inner app that behaves like the legacy app: it answers 200 with a new session cookie, and counts
/// every call, so a test can prove that a request never reached it.
/// </summary>
public sealed class RecordingApp
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("legacy app");
    private int _calls;

    /// <summary>How many requests reached the app.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>The environments the app saw, in order.</summary>
    public List<IDictionary<string, object>> Environments { get; } = [];

    /// <summary>The OWIN entry point.</summary>
    public Task Invoke(IDictionary<string, object> environment)
    {
        Interlocked.Increment(ref _calls);
        lock (Environments)
        {
            Environments.Add(environment);
        }

        environment["owin.ResponseStatusCode"] = 200;
        var headers = (IDictionary<string, string[]>)environment["owin.ResponseHeaders"];
        headers["Set-Cookie"] = ["session=" + Calls + "; HttpOnly"];
        headers["Content-Length"] = [Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        return ((System.IO.Stream)environment["owin.ResponseBody"]).WriteAsync(Body, 0, Body.Length);
    }
}
