using System;
using HealthEndpoint.Probe;

// healthendpoint-probe <url> [--plugin] [--expect 2xx] [--timeout 10s] [--warning t] [--critical t]
// See HelpText.Usage, README ("Probe tool") and docs/recipes/.
return await ProbeCommand.RunAsync(args, Console.Out).ConfigureAwait(false);
