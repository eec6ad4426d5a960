using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using Microsoft.AspNetCore.Http;

namespace HealthEndpoint.AspNetCore;

/// <summary>
/// The OWIN environment of one health request, over its <see cref="HttpContext"/> and without copying it: each key the
/// core reads is looked up in the context when read, and the response's status code, headers and body write straight
/// to the <see cref="HttpResponse"/>. One object per health request; any other key goes to a dictionary made on first use.
/// </summary>
internal sealed class HttpContextEnvironment : IDictionary<string, object>
{
    private const string StatusCodeKey = "owin.ResponseStatusCode";

    // The keys this environment answers from the context, in the order Read() reads them.
    private static readonly string[] ContextKeys =
    [
        "owin.Version", "owin.RequestMethod", "owin.RequestScheme", "owin.RequestPathBase", "owin.RequestPath",
        "owin.RequestQueryString", "owin.RequestHeaders", StatusCodeKey, "owin.ResponseHeaders", "owin.ResponseBody",
        "host.OnAppDisposing", "server.RemoteIpAddress",
    ];

    private readonly HttpContext _context;
    private readonly string _path;
    private readonly object _appStopping;
    private Dictionary<string, object>? _others;
    private int _removed;

    /// <param name="context">The request.</param>
    /// <param name="path">The request path, already read by the middleware.</param>
    /// <param name="appStopping">The boxed <c>ApplicationStopping</c> token, as <c>host.OnAppDisposing</c>.</param>
    public HttpContextEnvironment(HttpContext context, string path, object appStopping)
    {
        _context = context;
        _path = path;
        _appStopping = appStopping;
    }

    public int Count => Pairs().Count();

    public bool IsReadOnly => false;

    public ICollection<string> Keys => Pairs().Select(pair => pair.Key).ToList();

    public ICollection<object> Values => Pairs().Select(pair => pair.Value).ToList();

    public object this[string key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);
        set
        {
            // The status code goes to the response; every other value the core sets is kept beside the context's.
            var index = Array.IndexOf(ContextKeys, key);
            if (key == StatusCodeKey && value is int statusCode)
            {
                _context.Response.StatusCode = statusCode;
                _others?.Remove(key);
            }
            else
            {
                (_others ??= new Dictionary<string, object>(StringComparer.Ordinal))[key] = value;
            }

            if (index >= 0)
            {
                _removed &= ~(1 << index);
            }
        }
    }

    public bool TryGetValue(string key, out object value)
    {
        if (_others is not null && _others.TryGetValue(key, out value!))
        {
            return true;
        }

        var index = Array.IndexOf(ContextKeys, key);
        value = index >= 0 && (_removed & (1 << index)) == 0 ? Read(index)! : null!;
        return value is not null;
    }

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool Contains(KeyValuePair<string, object> item) => TryGetValue(item.Key, out var value) && Equals(value, item.Value);

    public void Add(string key, object value)
    {
        if (ContainsKey(key))
        {
            throw new ArgumentException($"The environment already has the key '{key}'.", nameof(key));
        }

        this[key] = value;
    }

    public void Add(KeyValuePair<string, object> item) => Add(item.Key, item.Value);

    public bool Remove(string key)
    {
        var removed = _others?.Remove(key) ?? false;
        var index = Array.IndexOf(ContextKeys, key);
        if (index >= 0 && (_removed & (1 << index)) == 0 && Read(index) is not null)
        {
            _removed |= 1 << index;
            removed = true;
        }

        return removed;
    }

    public bool Remove(KeyValuePair<string, object> item) => Contains(item) && Remove(item.Key);

    public void Clear()
    {
        _others = null;
        _removed = (1 << ContextKeys.Length) - 1;
    }

    public void CopyTo(KeyValuePair<string, object>[] array, int arrayIndex)
    {
        foreach (var pair in Pairs())
        {
            array[arrayIndex++] = pair;
        }
    }

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => Pairs().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private IEnumerable<KeyValuePair<string, object>> Pairs()
    {
        for (var index = 0; index < ContextKeys.Length; index++)
        {
            if ((_removed & (1 << index)) == 0 && (_others is null || !_others.ContainsKey(ContextKeys[index])) && Read(index) is { } value)
            {
                yield return new KeyValuePair<string, object>(ContextKeys[index], value);
            }
        }

        if (_others is not null)
        {
            foreach (var pair in _others)
            {
                yield return pair;
            }
        }
    }

    private object? Read(int index)
    {
        var request = _context.Request;
        return index switch
        {
            0 => "1.0",
            1 => request.Method,
            2 => request.Scheme,
            3 => request.PathBase.Value ?? string.Empty,
            4 => _path,
            5 => request.QueryString.HasValue ? request.QueryString.Value!.Substring(1) : string.Empty,
            6 => new OwinHeaderDictionary(request.Headers, readOnly: true),
            7 => _context.Response.StatusCode,
            8 => new OwinHeaderDictionary(_context.Response.Headers, readOnly: false),
            9 => _context.Response.Body,

            // ApplicationStopping, as OWIN hosts hand over theirs: it reads cancelled from the moment the stop begins,
            // before any of its callbacks has run, so the first status request after it answers 503.
            10 => _appStopping,

            // The connection's own peer, as the OWIN hosts report it; X-Forwarded-For is read by the core, and only
            // from a trusted proxy (docs/from-katana-to-aspnetcore.md says how this sits with ForwardedHeadersMiddleware).
            _ => _context.Connection.RemoteIpAddress?.ToString(),
        };
    }
}
