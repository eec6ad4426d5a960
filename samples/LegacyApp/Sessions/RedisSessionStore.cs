using System;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace LegacyApp.Sessions;

/// <summary>Session records as Redis keys (<c>WebSession:Class = Redis</c>), one key per session.</summary>
internal sealed class RedisSessionStore : ISessionStore
{
    /// <summary>Every session key starts with this.</summary>
    public const string KeyPrefix = "legacyapp:session:";

    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);
    private readonly IConnectionMultiplexer _redis;

    public RedisSessionStore(IConnectionMultiplexer redis)
    {
        _redis = redis;
    }

    public async Task<string> CreateAsync()
    {
        var id = SessionId.New();
        await _redis.GetDatabase().StringSetAsync(KeyPrefix + id, 0, Lifetime).ConfigureAwait(false);
        return id;
    }

    public async Task<long?> RecordVisitAsync(string sessionId)
    {
        var database = _redis.GetDatabase();
        var key = KeyPrefix + sessionId;
        var exists = await database.KeyExistsAsync(key).ConfigureAwait(false);
        return exists ? await database.StringIncrementAsync(key).ConfigureAwait(false) : (long?)null;
    }
}
