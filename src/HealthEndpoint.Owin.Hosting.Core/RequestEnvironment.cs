using System;
using System.Collections;
using System.Collections.Generic;
using System.Numerics;

namespace HealthEndpoint.Owin.Hosting.Core;

/// <summary>
/// The OWIN environment of one request: the keys the host sets live in a fixed slot array, any other key an app
/// adds in a dictionary made on first use. Behaves as an ordinal <c>IDictionary&lt;string, object&gt;</c>.
/// </summary>
/// <remarks>
/// A <see cref="Dictionary{TKey, TValue}"/> sized for the host's keys would be most of what a ping allocates; the
/// fixed slots cost a fraction of it.
/// </remarks>
internal sealed class RequestEnvironment : IDictionary<string, object>
{
    private static readonly string[] Known =
    [
        "owin.Version", "owin.CallCancelled", "owin.RequestMethod", "owin.RequestScheme", "owin.RequestPathBase",
        "owin.RequestPath", "owin.RequestQueryString", "owin.RequestProtocol", "owin.RequestHeaders", "owin.RequestBody",
        "owin.ResponseHeaders", "owin.ResponseBody", "owin.ResponseStatusCode", "owin.ResponseReasonPhrase",
        "server.RemoteIpAddress", "server.RemotePort", "server.LocalIpAddress", "server.LocalPort", "server.IsLocal",
        "server.OnSendingHeaders", "host.OnAppDisposing",
    ];

    // The slot of each of the host's keys: its index in Known.
    public const int Version = 0;
    public const int CallCancelled = 1;
    public const int RequestMethod = 2;
    public const int RequestScheme = 3;
    public const int RequestPathBase = 4;
    public const int RequestPath = 5;
    public const int RequestQueryString = 6;
    public const int RequestProtocol = 7;
    public const int RequestHeaders = 8;
    public const int RequestBody = 9;
    public const int ResponseHeaders = 10;
    public const int ResponseBody = 11;
    public const int ResponseStatusCode = 12;
    public const int ResponseReasonPhrase = 13;
    public const int RemoteIpAddress = 14;
    public const int RemotePort = 15;
    public const int LocalIpAddress = 16;
    public const int LocalPort = 17;
    public const int IsLocal = 18;
    public const int OnSendingHeaders = 19;
    public const int OnAppDisposing = 20;

    private readonly object[] _values = new object[Known.Length];
    private int _present;
    private Dictionary<string, object>? _extra;

    /// <summary>Sets one of the host's keys by its slot (its index in the key list), without looking the name up.</summary>
    public void SetKnown(int slot, object value)
    {
        _values[slot] = value;
        _present |= 1 << slot;
    }

    public int Count => BitOperations.PopCount((uint)_present) + (_extra?.Count ?? 0);

    public bool IsReadOnly => false;

    public ICollection<string> Keys
    {
        get
        {
            var keys = new List<string>(Count);
            foreach (var entry in this)
            {
                keys.Add(entry.Key);
            }

            return keys;
        }
    }

    public ICollection<object> Values
    {
        get
        {
            var values = new List<object>(Count);
            foreach (var entry in this)
            {
                values.Add(entry.Value);
            }

            return values;
        }
    }

    public object this[string key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The OWIN environment has no '{key}'.");
        set
        {
            var slot = SlotOf(key);
            if (slot >= 0)
            {
                _values[slot] = value;
                _present |= 1 << slot;
            }
            else
            {
                (_extra ??= new Dictionary<string, object>(StringComparer.Ordinal))[key] = value;
            }
        }
    }

    public void Add(string key, object value)
    {
        if (ContainsKey(key))
        {
            throw new ArgumentException($"The OWIN environment already has '{key}'.", nameof(key));
        }

        this[key] = value;
    }

    public void Add(KeyValuePair<string, object> item) => Add(item.Key, item.Value);

    public void Clear()
    {
        Array.Clear(_values);
        _present = 0;
        _extra = null;
    }

    public bool Contains(KeyValuePair<string, object> item) =>
        TryGetValue(item.Key, out var value) && EqualityComparer<object>.Default.Equals(value, item.Value);

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public void CopyTo(KeyValuePair<string, object>[] array, int arrayIndex)
    {
        foreach (var entry in this)
        {
            array[arrayIndex++] = entry;
        }
    }

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
    {
        for (var slot = 0; slot < Known.Length; slot++)
        {
            if ((_present & (1 << slot)) != 0)
            {
                yield return new KeyValuePair<string, object>(Known[slot], _values[slot]);
            }
        }

        if (_extra is not null)
        {
            foreach (var entry in _extra)
            {
                yield return entry;
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Remove(string key)
    {
        var slot = SlotOf(key);
        if (slot < 0)
        {
            return _extra is not null && _extra.Remove(key);
        }

        var present = (_present & (1 << slot)) != 0;
        _present &= ~(1 << slot);
        _values[slot] = null!;
        return present;
    }

    public bool Remove(KeyValuePair<string, object> item) => Contains(item) && Remove(item.Key);

    public bool TryGetValue(string key, out object value)
    {
        var slot = SlotOf(key);
        if (slot >= 0 && (_present & (1 << slot)) != 0)
        {
            value = _values[slot];
            return true;
        }

        if (slot < 0 && _extra is not null && _extra.TryGetValue(key, out value!))
        {
            return true;
        }

        value = null!;
        return false;
    }

    private static int SlotOf(string key) => key switch
    {
        "owin.Version" => Version,
        "owin.CallCancelled" => CallCancelled,
        "owin.RequestMethod" => RequestMethod,
        "owin.RequestScheme" => RequestScheme,
        "owin.RequestPathBase" => RequestPathBase,
        "owin.RequestPath" => RequestPath,
        "owin.RequestQueryString" => RequestQueryString,
        "owin.RequestProtocol" => RequestProtocol,
        "owin.RequestHeaders" => RequestHeaders,
        "owin.RequestBody" => RequestBody,
        "owin.ResponseHeaders" => ResponseHeaders,
        "owin.ResponseBody" => ResponseBody,
        "owin.ResponseStatusCode" => ResponseStatusCode,
        "owin.ResponseReasonPhrase" => ResponseReasonPhrase,
        "server.RemoteIpAddress" => RemoteIpAddress,
        "server.RemotePort" => RemotePort,
        "server.LocalIpAddress" => LocalIpAddress,
        "server.LocalPort" => LocalPort,
        "server.IsLocal" => IsLocal,
        "server.OnSendingHeaders" => OnSendingHeaders,
        "host.OnAppDisposing" => OnAppDisposing,
        _ => -1,
    };
}
