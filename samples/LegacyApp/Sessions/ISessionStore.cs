using System.Threading.Tasks;

namespace LegacyApp.Sessions;

/// <summary>Where session records live (RT's <c>$WebSessionClass</c>): in memory or in Redis.</summary>
internal interface ISessionStore
{
    /// <summary>Creates a new session record and returns its id.</summary>
    Task<string> CreateAsync();

    /// <summary>Adds one visit to the session; returns the new count, or null when no such session exists.</summary>
    Task<long?> RecordVisitAsync(string sessionId);
}
