using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using HealthEndpoint.Owin.Benchmarking;

namespace HealthEndpoint.Owin.Benchmarks;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>
/// <see cref="HealthEndpointMiddleware.Invoke"/> called directly with prepared OWIN environments, one per
/// scenario, each built once and reused for every operation.
/// </summary>
/// <remarks>
/// A health response mutates its environment (status code, four response headers); every such benchmark first
/// undoes that with <see cref="ResetResponse"/>, which allocates nothing and is measured on its own as
/// <see cref="Reset"/>. The pass-through pair mutates nothing and so resets nothing. Every benchmark runs twice:
/// without and with a <see cref="System.Diagnostics.Metrics.MeterListener"/> on the health meter (<see cref="Listener"/>).
/// </remarks>
[MemoryDiagnoser]
public class MiddlewareBenchmarks
{
    private const string PingPath = "/healthz/ping";
    private const string StatusPath = "/healthz/status";

    // Not the length of either health path or one more, like almost every application path: this is the
    // pass-through path the app's own traffic takes.
    private const string AppPath = "/Ticket/Display.html";

    private const string RequestPathKey = BenchmarkEnvironment.RequestPathKey;
    private const string StatusCodeKey = BenchmarkEnvironment.StatusCodeKey;

    private static readonly AppFunc NoOpApp = static _ => Task.CompletedTask;

    private readonly AppFunc _app = NoOpApp;
    private HealthEndpointMiddleware _middleware = null!;
    private HealthEndpointMiddleware _middlewareProbesOn = null!;
    private Dictionary<string, object> _passThrough = null!;

    // The interface on purpose: OWIN hands the middleware an IDictionary, and that call is what is measured.
    [SuppressMessage("Performance", "CA1859", Justification = "The interface call is what PathLookup_Reference measures.")]
    private IDictionary<string, object> _passThroughView = null!;
    private Dictionary<string, object> _pingGet = null!;
    private Dictionary<string, object> _pingHead = null!;
    private Dictionary<string, object> _pingPost = null!;
    private Dictionary<string, object> _statusGet = null!;
    private MeterListener? _meterListener;
    private double _measured;

    /// <summary>
    /// Whether a <see cref="System.Diagnostics.Metrics.MeterListener"/> listens to every instrument of the
    /// <c>HealthEndpoint.Owin</c> meter with recording callbacks set, as an exporter would.
    /// </summary>
    [Params(false, true)]
    public bool Listener { get; set; }

    /// <summary>Builds the middleware and the environments, and caches one status run for the hour.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var options = new HealthEndpointOptions
        {
            PingPath = PingPath,
            StatusPath = StatusPath,
            StatusCacheDuration = TimeSpan.FromHours(1),
        };
        options.Checks.Add(new NamedHealthCheck("noop", static _ => Task.CompletedTask));
        _middleware = new HealthEndpointMiddleware(_app, options);
        _middlewareProbesOn = new HealthEndpointMiddleware(_app, new HealthEndpointOptions
        {
            LivePath = "/livez",
            ReadyPath = "/readyz",
            StartupPath = "/startupz",
            PerCheckPaths = true,
        });
        if (Listener)
        {
            _meterListener = StartMeterListener();
        }

        _passThrough = Environment("GET", AppPath);
        _passThroughView = _passThrough;
        _pingGet = Environment("GET", PingPath);
        _pingHead = Environment("HEAD", PingPath);
        _pingPost = Environment("POST", PingPath);
        _statusGet = Environment("GET", StatusPath);

        // The first status request runs the check; the benchmark measures the requests that reuse that run.
        _middleware.Invoke(_statusGet).GetAwaiter().GetResult();
        ResetResponse(_statusGet);
        if (!_middleware.Invoke(_statusGet).IsCompleted)
        {
            throw new InvalidOperationException("The status run was not cached: Status_Cached would measure a run.");
        }

        ExpectStatus(_statusGet, 200);
        ExpectAnswer(_pingGet, 200);
        ExpectAnswer(_pingHead, 200);
        ExpectAnswer(_pingPost, 405);
        if (Listener && _measured == 0)
        {
            throw new InvalidOperationException("The meter listener saw no measurement: Listener=True would measure nothing.");
        }
        _middleware.Invoke(_passThrough).GetAwaiter().GetResult();
        _middlewareProbesOn.Invoke(_passThrough).GetAwaiter().GetResult();
        if (_passThrough.ContainsKey(StatusCodeKey))
        {
            throw new InvalidOperationException($"'{AppPath}' was answered by the middleware, not passed through.");
        }
    }

    /// <summary>Stops the meter listener, if any.</summary>
    [GlobalCleanup]
    public void Cleanup() => _meterListener?.Dispose();

    /// <summary>The no-op app called directly: the floor the pass-through path is compared with.</summary>
    [Benchmark(Baseline = true)]
    public Task PassThrough_Direct() => _app(_passThrough);

    /// <summary>A non-health path through the middleware to the same no-op app.</summary>
    [Benchmark]
    public Task PassThrough_Wrapped() => _middleware.Invoke(_passThrough);

    /// <summary>The same path through a middleware with every opt-in probe path on: what they add for the app's traffic.</summary>
    [Benchmark]
    public Task PassThrough_WrappedProbesOn() => _middlewareProbesOn.Invoke(_passThrough);

    /// <summary>
    /// One read of <c>owin.RequestPath</c> through <see cref="IDictionary{TKey, TValue}"/>, as the middleware does it:
    /// the least any OWIN middleware that routes on the path adds to the pass-through path.
    /// </summary>
    [Benchmark]
    public bool PathLookup_Reference() => _passThroughView.TryGetValue(RequestPathKey, out var value) && value is string;

    /// <summary>GET on the ping path: status, four headers, the pre-encoded body.</summary>
    [Benchmark]
    public Task Ping_Get()
    {
        ResetResponse(_pingGet);
        return _middleware.Invoke(_pingGet);
    }

    /// <summary>HEAD on the ping path: as GET, without the body write.</summary>
    [Benchmark]
    public Task Ping_Head()
    {
        ResetResponse(_pingHead);
        return _middleware.Invoke(_pingHead);
    }

    /// <summary>GET on the status path while the last run is cached.</summary>
    [Benchmark]
    public Task Status_Cached()
    {
        ResetResponse(_statusGet);
        return _middleware.Invoke(_statusGet);
    }

    /// <summary>POST on the ping path: 405 with Allow.</summary>
    [Benchmark]
    public Task MethodNotAllowed()
    {
        ResetResponse(_pingPost);
        return _middleware.Invoke(_pingPost);
    }

    /// <summary>The reset the health benchmarks include, alone, so that its cost can be subtracted.</summary>
    /// <remarks>
    /// Here the headers are already empty, so <c>Clear</c> returns early; after a real response it also zeroes
    /// four entries, a few nanoseconds more. Subtracting this therefore leaves a slight overestimate.
    /// </remarks>
    [Benchmark]
    public Task Reset()
    {
        ResetResponse(_pingGet);
        return Task.CompletedTask;
    }

    private MeterListener StartMeterListener()
    {
        var listener = new MeterListener
        {
            InstrumentPublished = static (instrument, listener) =>
            {
                if (instrument.Meter.Name == "HealthEndpoint.Owin")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => _measured += value);
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => _measured += value);
        listener.SetMeasurementEventCallback<int>((_, value, _, _) => _measured += value);
        listener.Start();
        return listener;
    }

    private static void ResetResponse(Dictionary<string, object> environment) => BenchmarkEnvironment.ResetResponse(environment);

    private static Dictionary<string, object> Environment(string method, string path) => BenchmarkEnvironment.Create(method, path);

    private void ExpectAnswer(Dictionary<string, object> environment, int statusCode)
    {
        ResetResponse(environment);
        _middleware.Invoke(environment).GetAwaiter().GetResult();
        ExpectStatus(environment, statusCode);
        ResetResponse(environment);
    }

    private static void ExpectStatus(Dictionary<string, object> environment, int statusCode)
    {
        var actual = environment.TryGetValue(StatusCodeKey, out var value) ? value : null;
        if (actual is not int code || code != statusCode)
        {
            throw new InvalidOperationException(
                $"{environment["owin.RequestMethod"]} {environment["owin.RequestPath"]}: expected {statusCode}, got {actual ?? "no status"}.");
        }
    }
}
