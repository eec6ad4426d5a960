using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using HealthEndpoint.Owin;
using HealthEndpoint.Owin.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace HealthEndpoint.AspNetCore;

/// <summary>
/// ASP.NET Core's <see cref="HealthCheckService"/> with the core's runner underneath: the app's registrations are the
/// checks of a <see cref="HealthEndpointMiddleware"/> used only for <see cref="HealthEndpointMiddleware.RunChecksAsync"/>,
/// and each run becomes one <see cref="HealthReport"/> that every request sharing the run gets.
/// </summary>
/// <remarks>
/// The run (sharing, reuse, deadline, one operation per check) is the core's. This class turns a run's outcomes into
/// entries, one build at a time so that the entries it reads are that run's, and keeps the last report while no check
/// has started or finished since.
/// </remarks>
internal sealed class RunnerHealthCheckService : HealthCheckService
{
    private const string Fail = "fail";
    private static readonly IReadOnlyDictionary<string, HealthReportEntry> NoEntries = new Dictionary<string, HealthReportEntry>();

    private readonly HealthEndpointMiddleware _runner;
    private readonly RegisteredCheck[] _checks;
    private readonly string[] _slotNames;
    private readonly TimeSpan _checkTimeout;
    private readonly object _gate = new();
    private Task<HealthReport>? _building;

    // Read and written by one build at a time (a build starts only when the last one has completed).
    private HealthReport? _report;
    private int _reportGeneration = -1;

    // Counts every start and end of a check's operation: unchanged since the last build means the same entries.
    private int _generation;

    public RunnerHealthCheckService(
        HealthEndpointOptions configured, ICollection<HealthCheckRegistration> registrations, IServiceScopeFactory scopes, ILoggerFactory? loggers)
    {
        var options = new HealthEndpointOptions
        {
            CheckTimeout = configured.CheckTimeout,
            StatusCacheDuration = configured.StatusCacheDuration,
            Logger = configured.Logger,
        };
        if (loggers is not null && ReferenceEquals(configured.Logger, new HealthEndpointOptions().Logger))
        {
            options.Logger = loggers.CreateLogger("HealthEndpoint.AspNetCore");
        }

        _checkTimeout = options.CheckTimeout;
        _checks = new RegisteredCheck[registrations.Count];
        _slotNames = SlotNames.For(registrations);
        var index = 0;
        foreach (var registration in registrations)
        {
            var check = new RegisteredCheck(registration, scopes, () => Interlocked.Increment(ref _generation));
            var adapterOptions = new HealthCheckAdapterOptions { Timeout = registration.Timeout, Logger = options.Logger };
            foreach (var tag in registration.Tags)
            {
                adapterOptions.Tags.Add(tag);
            }

            options.Checks.Add(new NamedHealthCheck(_slotNames[index], new HealthCheckAdapter(registration.Name, check, adapterOptions).CheckAsync));
            _checks[index++] = check;
        }

        _runner = new HealthEndpointMiddleware(static _ => Task.CompletedTask, options);
    }

    public override async Task<HealthReport> CheckHealthAsync(Func<HealthCheckRegistration, bool>? predicate, CancellationToken cancellationToken = default)
    {
        bool[]? selected = null;
        if (predicate is not null)
        {
            selected = new bool[_checks.Length];
            var any = false;
            for (var i = 0; i < _checks.Length; i++)
            {
                any |= selected[i] = predicate(_checks[i].Registration);
            }

            // A report of no checks (a liveness endpoint's usual predicate) waits for no run, as ASP.NET Core's does.
            if (!any)
            {
                return new HealthReport(NoEntries, TimeSpan.Zero);
            }
        }

        Task<HealthReport> building;
        lock (_gate)
        {
            if (_building is null || _building.IsCompleted)
            {
                _building = BuildAsync();
            }

            building = _building;
        }

        var report = await building.WaitAsync(cancellationToken).ConfigureAwait(false);
        return selected is null ? report : Select(report, selected);
    }

    private async Task<HealthReport> BuildAsync()
    {
        var outcomes = await _runner.RunChecksAsync().ConfigureAwait(false);
        var generation = Volatile.Read(ref _generation);
        if (_report is not null && generation == _reportGeneration)
        {
            return _report;
        }

        var entries = new Dictionary<string, HealthReportEntry>(_checks.Length, StringComparer.OrdinalIgnoreCase);
        var total = TimeSpan.Zero;
        for (var i = 0; i < _checks.Length; i++)
        {
            var entry = Entry(_checks[i], outcomes[_slotNames[i]]);
            entries.Add(_checks[i].Registration.Name, entry);
            total = entry.Duration > total ? entry.Duration : total;
        }

        _report = new HealthReport(entries, total);
        _reportGeneration = generation;
        return _report;
    }

    // The check's own entry, unless the runner stopped waiting for it: then the deadline is its duration and its
    // registration's failure status its status, as ASP.NET Core reports a check past its timeout.
    private HealthReportEntry Entry(RegisteredCheck check, string outcome)
    {
        if (check.Latest is { } attempt && attempt.TryGetEntry(out var entry) && (outcome != Fail || entry.Status == HealthStatus.Unhealthy))
        {
            return entry;
        }

        var timeout = new TimeoutException(string.Create(
            CultureInfo.InvariantCulture,
            $"The check did not finish within the runner's CheckTimeout ({_checkTimeout.TotalMilliseconds:0} ms); its operation still runs, and the next run joins it."));
        return check.Failed(RegisteredCheck.TimeoutDescription, timeout, _checkTimeout);
    }

    // The entries a predicate selects, with the longest of their durations as the total (the checks ran concurrently).
    private HealthReport Select(HealthReport report, bool[] selected)
    {
        var entries = new Dictionary<string, HealthReportEntry>(StringComparer.OrdinalIgnoreCase);
        var total = TimeSpan.Zero;
        for (var i = 0; i < _checks.Length; i++)
        {
            if (selected[i] && report.Entries.TryGetValue(_checks[i].Registration.Name, out var entry))
            {
                entries.Add(_checks[i].Registration.Name, entry);
                total = entry.Duration > total ? entry.Duration : total;
            }
        }

        return entries.Count == report.Entries.Count ? report : new HealthReport(entries, total);
    }
}
