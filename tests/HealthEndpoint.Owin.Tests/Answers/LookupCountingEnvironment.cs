using System.Collections;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;

namespace HealthEndpoint.Owin.Tests.Answers;

/// <summary>An OWIN environment that counts the reads of each key, to show which keys a path looks at.</summary>
internal sealed class LookupCountingEnvironment(IDictionary<string, object> inner) : IDictionary<string, object>
{
    private readonly Dictionary<string, int> _lookups = new();

    public int Lookups(string key) => _lookups.TryGetValue(key, out var count) ? count : 0;

    public object this[string key]
    {
        get
        {
            Count(key);
            return inner[key];
        }

        set => inner[key] = value;
    }

    public ICollection<string> Keys => inner.Keys;

    public ICollection<object> Values => inner.Values;

    int ICollection<KeyValuePair<string, object>>.Count => inner.Count;

    public bool IsReadOnly => inner.IsReadOnly;

    public void Add(string key, object value) => inner.Add(key, value);

    public void Add(KeyValuePair<string, object> item) => inner.Add(item);

    public void Clear() => inner.Clear();

    public bool Contains(KeyValuePair<string, object> item) => inner.Contains(item);

    public bool ContainsKey(string key)
    {
        Count(key);
        return inner.ContainsKey(key);
    }

    public void CopyTo(KeyValuePair<string, object>[] array, int arrayIndex) => inner.CopyTo(array, arrayIndex);

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => inner.GetEnumerator();

    public bool Remove(string key) => inner.Remove(key);

    public bool Remove(KeyValuePair<string, object> item) => inner.Remove(item);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object value)
    {
        Count(key);
        return inner.TryGetValue(key, out value);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private void Count(string key) => _lookups[key] = Lookups(key) + 1;
}
