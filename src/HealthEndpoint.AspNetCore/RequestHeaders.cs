using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace HealthEndpoint.AspNetCore;

/// <summary>
/// ASP.NET Core's request headers seen as OWIN's <c>owin.RequestHeaders</c>: read-only, case-insensitive, nothing
/// copied. The core reads one or two headers (<c>Accept</c>, <c>X-Forwarded-For</c>) only when an option asks.
/// </summary>
internal sealed class RequestHeaders : IDictionary<string, string[]>
{
    private readonly IHeaderDictionary _headers;

    public RequestHeaders(IHeaderDictionary headers) => _headers = headers;

    public int Count => _headers.Count;

    public bool IsReadOnly => true;

    public ICollection<string> Keys => _headers.Keys;

    public ICollection<string[]> Values => _headers.Values.Select(Strings).ToList();

    public string[] this[string key]
    {
        get => TryGetValue(key, out var values) ? values : throw new KeyNotFoundException(key);
        set => throw ReadOnly();
    }

    public bool TryGetValue(string key, out string[] value)
    {
        if (_headers.TryGetValue(key, out var values))
        {
            value = Strings(values);
            return true;
        }

        value = null!;
        return false;
    }

    public bool ContainsKey(string key) => _headers.ContainsKey(key);

    public bool Contains(KeyValuePair<string, string[]> item) => ContainsKey(item.Key);

    public void CopyTo(KeyValuePair<string, string[]>[] array, int arrayIndex)
    {
        foreach (var pair in this)
        {
            array[arrayIndex++] = pair;
        }
    }

    public IEnumerator<KeyValuePair<string, string[]>> GetEnumerator()
    {
        foreach (var pair in _headers)
        {
            yield return new KeyValuePair<string, string[]>(pair.Key, Strings(pair.Value));
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Add(string key, string[] value) => throw ReadOnly();

    public void Add(KeyValuePair<string, string[]> item) => throw ReadOnly();

    public bool Remove(string key) => throw ReadOnly();

    public bool Remove(KeyValuePair<string, string[]> item) => throw ReadOnly();

    public void Clear() => throw ReadOnly();

    private static string[] Strings(StringValues values) => values.ToArray()!;

    private static NotSupportedException ReadOnly() => new("The request headers are read-only.");
}
