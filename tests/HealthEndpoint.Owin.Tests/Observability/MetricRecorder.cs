using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;

namespace HealthEndpoint.Owin.Tests;

/// <summary>One measurement a <see cref="MetricRecorder"/> saw.</summary>
internal sealed record RecordedMeasurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    public object? Tag(string name) => Tags.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A real <see cref="MeterListener"/> that records the instruments of one meter only: a middleware's own, so that
/// other middlewares in the same process (parallel tests) cannot add to what a test sees.
/// </summary>
internal sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<RecordedMeasurement> _measurements = [];

    public MetricRecorder(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Every measurement of <paramref name="instrument"/> so far.</summary>
    public IReadOnlyList<RecordedMeasurement> Of(string instrument)
    {
        lock (_measurements)
        {
            return _measurements.Where(measurement => measurement.Instrument == instrument).ToArray();
        }
    }

    /// <summary>Reads the observable instruments now and returns what <paramref name="instrument"/> reported.</summary>
    public IReadOnlyList<RecordedMeasurement> Observe(string instrument)
    {
        lock (_measurements)
        {
            _measurements.RemoveAll(measurement => measurement.Instrument == instrument);
        }

        _listener.RecordObservableInstruments();
        return Of(instrument);
    }

    /// <summary>The sum of a counter's measurements whose tag <paramref name="tag"/> is <paramref name="value"/>.</summary>
    public double Sum(string instrument, string tag, object value) =>
        Of(instrument).Where(measurement => Equals(measurement.Tag(tag), value)).Sum(measurement => measurement.Value);

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        lock (_measurements)
        {
            _measurements.Add(new RecordedMeasurement(instrument.Name, value, copy));
        }
    }
}
