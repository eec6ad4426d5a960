using System.Diagnostics.Metrics;

namespace HealthEndpoint.Owin.Prometheus;

/// <summary>How an instrument's values map onto a Prometheus metric type.</summary>
internal enum InstrumentKind
{
    /// <summary>A type this package does not know (a future instrument kind): left off the page.</summary>
    Unknown,

    /// <summary><c>Counter&lt;T&gt;</c>: increments; a Prometheus counter.</summary>
    Counter,

    /// <summary><c>ObservableCounter&lt;T&gt;</c>: observed totals; a Prometheus counter.</summary>
    ObservableCounter,

    /// <summary><c>UpDownCounter&lt;T&gt;</c>: signed increments; a Prometheus gauge.</summary>
    UpDownCounter,

    /// <summary><c>ObservableUpDownCounter&lt;T&gt;</c>, <c>ObservableGauge&lt;T&gt;</c>, <c>Gauge&lt;T&gt;</c>: values; a Prometheus gauge.</summary>
    Gauge,

    /// <summary><c>Histogram&lt;T&gt;</c>: a Prometheus histogram.</summary>
    Histogram,
}

/// <summary>Classifies instruments by their generic type's name, so <c>Gauge&lt;T&gt;</c> (DiagnosticSource 9+) is known on every target.</summary>
internal static class InstrumentKinds
{
    public static InstrumentKind Of(Instrument instrument)
    {
        var type = instrument.GetType();
        while (type is not null && !(type.IsGenericType && type.Namespace == "System.Diagnostics.Metrics"))
        {
            type = type.BaseType;
        }

        return type?.Name switch
        {
            "Counter`1" => InstrumentKind.Counter,
            "ObservableCounter`1" => InstrumentKind.ObservableCounter,
            "UpDownCounter`1" => InstrumentKind.UpDownCounter,
            "ObservableUpDownCounter`1" or "ObservableGauge`1" or "Gauge`1" => InstrumentKind.Gauge,
            "Histogram`1" => InstrumentKind.Histogram,
            _ => InstrumentKind.Unknown,
        };
    }
}
