using System.Collections.Generic;

namespace HealthEndpoint.Owin.Hosting.Core;

/// <summary>The facade as the request's <c>owin.ResponseHeaders</c>: the call's case-insensitive dictionary, while the request lasts.</summary>
/// <remarks>
/// Every member holds the call's gate and checks that the request is still the current one, so a late header change
/// throws instead of reaching the next response. Keys, Values and enumerations are copies, for the same reason.
/// </remarks>
internal sealed partial class RequestFacade : IDictionary<string, string[]>
{
    int ICollection<KeyValuePair<string, string[]>>.Count
    {
        get
        {
            lock (_call.Gate)
            {
                return Headers.Count;
            }
        }
    }

    bool ICollection<KeyValuePair<string, string[]>>.IsReadOnly => false;

    ICollection<string> IDictionary<string, string[]>.Keys
    {
        get
        {
            lock (_call.Gate)
            {
                return new List<string>(Headers.Keys);
            }
        }
    }

    ICollection<string[]> IDictionary<string, string[]>.Values
    {
        get
        {
            lock (_call.Gate)
            {
                return new List<string[]>(Headers.Values);
            }
        }
    }

    // The call's dictionary, once the caller holds the gate and the request is still this facade's.
    private Dictionary<string, string[]> Headers
    {
        get
        {
            ThrowIfSealed();
            return _call.ResponseHeaders;
        }
    }

    string[] IDictionary<string, string[]>.this[string key]
    {
        get
        {
            lock (_call.Gate)
            {
                return Headers[key];
            }
        }

        set
        {
            lock (_call.Gate)
            {
                Headers[key] = value;
            }
        }
    }

    bool IDictionary<string, string[]>.TryGetValue(string key, out string[] value)
    {
        lock (_call.Gate)
        {
            return Headers.TryGetValue(key, out value!);
        }
    }

    bool IDictionary<string, string[]>.ContainsKey(string key)
    {
        lock (_call.Gate)
        {
            return Headers.ContainsKey(key);
        }
    }

    void IDictionary<string, string[]>.Add(string key, string[] value)
    {
        lock (_call.Gate)
        {
            Headers.Add(key, value);
        }
    }

    void ICollection<KeyValuePair<string, string[]>>.Add(KeyValuePair<string, string[]> item)
    {
        lock (_call.Gate)
        {
            Headers.Add(item.Key, item.Value);
        }
    }

    void ICollection<KeyValuePair<string, string[]>>.Clear()
    {
        lock (_call.Gate)
        {
            Headers.Clear();
        }
    }

    bool ICollection<KeyValuePair<string, string[]>>.Contains(KeyValuePair<string, string[]> item)
    {
        lock (_call.Gate)
        {
            return ((ICollection<KeyValuePair<string, string[]>>)Headers).Contains(item);
        }
    }

    void ICollection<KeyValuePair<string, string[]>>.CopyTo(KeyValuePair<string, string[]>[] array, int arrayIndex)
    {
        lock (_call.Gate)
        {
            ((ICollection<KeyValuePair<string, string[]>>)Headers).CopyTo(array, arrayIndex);
        }
    }

    IEnumerator<KeyValuePair<string, string[]>> IEnumerable<KeyValuePair<string, string[]>>.GetEnumerator()
    {
        lock (_call.Gate)
        {
            return new List<KeyValuePair<string, string[]>>(Headers).GetEnumerator();
        }
    }

    bool IDictionary<string, string[]>.Remove(string key)
    {
        lock (_call.Gate)
        {
            return Headers.Remove(key);
        }
    }

    bool ICollection<KeyValuePair<string, string[]>>.Remove(KeyValuePair<string, string[]> item)
    {
        lock (_call.Gate)
        {
            return ((ICollection<KeyValuePair<string, string[]>>)Headers).Remove(item);
        }
    }
}
