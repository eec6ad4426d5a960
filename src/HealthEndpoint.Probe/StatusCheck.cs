using System;

namespace HealthEndpoint.Probe;

/// <summary>One check of a status document: its name, its state, and how long it took if the server said.</summary>
/// <param name="Name">The key in <c>checks</c>.</param>
/// <param name="State"><c>ok</c>, <c>fail</c>, <c>skipped</c> (the compact status document), or <c>warn</c> (health+json only).</param>
/// <param name="Latency">From health+json's <c>observedValue</c> in a time <c>observedUnit</c>; else null.</param>
internal sealed record StatusCheck(string Name, string State, TimeSpan? Latency);
