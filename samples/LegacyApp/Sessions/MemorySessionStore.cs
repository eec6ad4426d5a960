using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace LegacyApp.Sessions;

/// <summary>Session records in this process's memory (<c>WebSession:Class = Memory</c>).</summary>
internal sealed class MemorySessionStore : ISessionStore
{
    private readonly ConcurrentDictionary<string, StrongBox> _sessions = new();

    /// <summary>How many session records exist.</summary>
    public int Count => _sessions.Count;

    public Task<string> CreateAsync()
    {
        var id = SessionId.New();
        _sessions[id] = new StrongBox();
        return Task.FromResult(id);
    }

    public Task<long?> RecordVisitAsync(string sessionId) =>
        Task.FromResult(_sessions.TryGetValue(sessionId, out var visits) ? Interlocked.Increment(ref visits.Value) : (long?)null);

    private sealed class StrongBox
    {
        public long Value;
    }
}
