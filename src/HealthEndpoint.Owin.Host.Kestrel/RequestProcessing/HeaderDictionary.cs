using System;
using System.Collections;
using System.Collections.Generic;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Owin.HealthEndpoint.Hosting.Kestrel;

/// <summary>
/// Kestrel's response headers as OWIN's <c>IDictionary&lt;string, string[]&gt;</c>: reads and writes go straight to
/// Kestrel's collection (case-insensitive, as OWIN requires), so nothing is copied on the way out.
/// </summary>
internal sealed class HeaderDictionary : IDictionary<string, string[]>
{
    private readonly IHeaderDictionary _inner;

    public HeaderDictionary(IHeaderDictionary inner)
    {
        _inner = inner;
    }

    public int Count => _inner.Count;

    public bool IsReadOnly => _inner.IsReadOnly;

    public ICollection<string> Keys => _inner.Keys;

    public ICollection<string[]> Values
    {
        get
        {
            var values = new List<string[]>(_inner.Count);
            foreach (var header in _inner)
            {
                values.Add(ToArray(header.Value));
            }

            return values;
        }
    }

    public string[] this[string key]
    {
        get => _inner.TryGetValue(key, out var values) ? ToArray(values) : throw new KeyNotFoundException(key);
        set => _inner[key] = new StringValues(value);
    }

    // IDictionary.Add throws on a duplicate key, as the OWIN dictionary contract says it must.
#pragma warning disable ASP0019
    public void Add(string key, string[] value) => _inner.Add(key, new StringValues(value));
#pragma warning restore ASP0019

    public void Add(KeyValuePair<string, string[]> item) => Add(item.Key, item.Value);

    public void Clear() => _inner.Clear();

    public bool Contains(KeyValuePair<string, string[]> item) =>
        _inner.TryGetValue(item.Key, out var values) && values.Equals(new StringValues(item.Value));

    public bool ContainsKey(string key) => _inner.ContainsKey(key);

    public void CopyTo(KeyValuePair<string, string[]>[] array, int arrayIndex)
    {
        foreach (var header in _inner)
        {
            array[arrayIndex++] = new KeyValuePair<string, string[]>(header.Key, ToArray(header.Value));
        }
    }

    public IEnumerator<KeyValuePair<string, string[]>> GetEnumerator()
    {
        foreach (var header in _inner)
        {
            yield return new KeyValuePair<string, string[]>(header.Key, ToArray(header.Value));
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Remove(string key) => _inner.Remove(key);

    public bool Remove(KeyValuePair<string, string[]> item) => Contains(item) && _inner.Remove(item.Key);

    public bool TryGetValue(string key, out string[] value)
    {
        if (_inner.TryGetValue(key, out var values))
        {
            value = ToArray(values);
            return true;
        }

        value = null!;
        return false;
    }

    // A header value is never null inside Kestrel's collections; StringValues only types it as nullable.
    public static string[] ToArray(StringValues values) => (string[])(object)values.ToArray();
}
