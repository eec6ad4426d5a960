using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace HealthEndpoint.AspNetCore;

/// <summary>
/// OWIN's header dictionary (<c>IDictionary&lt;string, string[]&gt;</c>) over ASP.NET Core's: no copy is made, a value
/// is turned into an array only when read, and a value set goes straight to the <see cref="HttpResponse"/>. The request's
/// headers are read-only.
/// </summary>
internal sealed class OwinHeaderDictionary : IDictionary<string, string[]>
{
    private readonly IHeaderDictionary _headers;
    private readonly bool _readOnly;

    public OwinHeaderDictionary(IHeaderDictionary headers, bool readOnly)
    {
        _headers = headers;
        _readOnly = readOnly;
    }

    public int Count => _headers.Count;

    public bool IsReadOnly => _readOnly;

    public ICollection<string> Keys => _headers.Keys;

    public ICollection<string[]> Values => _headers.Values.Select(Strings).ToList();

    public string[] this[string key]
    {
        get => TryGetValue(key, out var values) ? values : throw new KeyNotFoundException(key);
        set => Writable()[key] = new StringValues(value);
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

    public void Add(string key, string[] value)
    {
        if (ContainsKey(key))
        {
            throw new ArgumentException($"The header '{key}' is set already.", nameof(key));
        }

        this[key] = value;
    }

    public void Add(KeyValuePair<string, string[]> item) => Add(item.Key, item.Value);

    public bool Remove(string key) => Writable().Remove(key);

    public bool Remove(KeyValuePair<string, string[]> item) => Remove(item.Key);

    public void Clear() => Writable().Clear();

    private static string[] Strings(StringValues values) => values.ToArray()!;

    private IHeaderDictionary Writable() =>
        _readOnly ? throw new NotSupportedException("The request headers are read-only.") : _headers;
}
