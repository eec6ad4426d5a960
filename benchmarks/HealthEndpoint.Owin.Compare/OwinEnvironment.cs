using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Benchmarking;

namespace HealthEndpoint.Owin.Compare;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>The micro benchmarks' request environment (<see cref="BenchmarkEnvironment"/>), and a timed block of requests on it.</summary>
internal static class OwinEnvironment
{
    /// <summary>A GET of <paramref name="path"/>.</summary>
    public static Dictionary<string, object> Create(string path) => BenchmarkEnvironment.Create("GET", path);

    public static int? StatusCode(Dictionary<string, object> environment) =>
        environment.TryGetValue(BenchmarkEnvironment.StatusCodeKey, out var value) ? value as int? : null;

    /// <summary>Mean nanoseconds per request over <paramref name="count"/> requests, each after undoing the last response.</summary>
    public static double TimeRequests(AppFunc invoke, Dictionary<string, object> environment, int count)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            BenchmarkEnvironment.ResetResponse(environment);
            invoke(environment);
        }

        return clock.Elapsed.TotalNanoseconds / count;
    }

    /// <summary>Bytes the middleware allocates per request, without what undoing the last response allocates.</summary>
    public static double AllocatedBytesPerRequest(AppFunc invoke, Dictionary<string, object> environment, int count)
    {
        var start = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < count; i++)
        {
            BenchmarkEnvironment.ResetResponse(environment);
            invoke(environment);
        }

        var withRequests = GC.GetAllocatedBytesForCurrentThread() - start;
        start = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < count; i++)
        {
            BenchmarkEnvironment.ResetResponse(environment);
        }

        var resetsOnly = GC.GetAllocatedBytesForCurrentThread() - start;
        return (withRequests - resetsOnly) / (double)count;
    }
}
