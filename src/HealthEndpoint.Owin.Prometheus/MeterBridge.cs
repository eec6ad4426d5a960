using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using Prometheus;

namespace HealthEndpoint.Owin.Prometheus;

/// <summary>Listens to the named meters and hands every measurement to its instrument's <see cref="InstrumentExport"/>.</summary>
/// <remarks>
/// prometheus-net's own meter adapter would do this, but it exists only on .NET 6+ (our users are mostly on .NET
/// Framework), names series after the meter (<c>healthendpoint_owin_healthendpoint_…</c>) and exposes counters as
/// gauges; this bridge keeps the agreed names on every target framework.
/// </remarks>
internal sealed class MeterBridge : IDisposable
{
    private readonly MeterListener _listener;

    public MeterBridge(IMetricFactory factory, ISet<string> meterNames)
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (meterNames.Contains(instrument.Meter.Name) && InstrumentExport.TryCreate(factory, instrument, out var export))
                {
                    listener.EnableMeasurementEvents(instrument, export);
                }
            },
        };
        _listener.SetMeasurementEventCallback<byte>((_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<short>((_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<float>((_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<decimal>((_, value, tags, state) => Record(state, (double)value, tags));
        _listener.Start();
    }

    /// <summary>Asks the observable instruments for their values; called before each scrape.</summary>
    public void RecordObservableInstruments() => _listener.RecordObservableInstruments();

    public void Dispose() => _listener.Dispose();

    private static void Record(object? state, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (state is InstrumentExport export)
        {
            export.Record(value, tags);
        }
    }
}
