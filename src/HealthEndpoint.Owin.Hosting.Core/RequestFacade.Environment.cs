using System;
using System.Collections;
using System.Collections.Generic;

namespace HealthEndpoint.Owin.Hosting.Core;

/// <summary>The facade as the request's OWIN environment: an ordinal <c>IDictionary&lt;string, object&gt;</c>.</summary>
/// <remarks>
/// Every member holds the call's gate and checks that the request is still the current one, so a late change can
/// never land in the next request's values. A value the host builds on first read (<see cref="RequestEnvironment.Deferred"/>)
/// is built here, once, and stored.
/// </remarks>
internal sealed partial class RequestFacade : IDictionary<string, object>
{
    int ICollection<KeyValuePair<string, object>>.Count
    {
        get
        {
            lock (_call.Gate)
            {
                ThrowIfSealed();
                return _call.Values.Count;
            }
        }
    }

    bool ICollection<KeyValuePair<string, object>>.IsReadOnly => false;

    ICollection<string> IDictionary<string, object>.Keys
    {
        get
        {
            var entries = Snapshot(build: false);
            var keys = new List<string>(entries.Count);
            foreach (var entry in entries)
            {
                keys.Add(entry.Key);
            }

            return keys;
        }
    }

    ICollection<object> IDictionary<string, object>.Values
    {
        get
        {
            var entries = Snapshot(build: true);
            var values = new List<object>(entries.Count);
            foreach (var entry in entries)
            {
                values.Add(entry.Value);
            }

            return values;
        }
    }

    object IDictionary<string, object>.this[string key]
    {
        get => TryGet(key, out var value) ? value : throw new KeyNotFoundException($"The OWIN environment has no '{key}'.");
        set
        {
            lock (_call.Gate)
            {
                ThrowIfSealed();
                _call.Values.Set(key, RequestEnvironment.SlotOf(key), value);
            }
        }
    }

    bool IDictionary<string, object>.TryGetValue(string key, out object value) => TryGet(key, out value);

    bool IDictionary<string, object>.ContainsKey(string key)
    {
        var slot = RequestEnvironment.SlotOf(key);
        lock (_call.Gate)
        {
            ThrowIfSealed();
            return _call.Values.TryGetValue(key, slot, out _);
        }
    }

    void IDictionary<string, object>.Add(string key, object value)
    {
        lock (_call.Gate)
        {
            ThrowIfSealed();
            var slot = RequestEnvironment.SlotOf(key);
            if (_call.Values.TryGetValue(key, slot, out _))
            {
                throw new ArgumentException($"The OWIN environment already has '{key}'.", nameof(key));
            }

            _call.Values.Set(key, slot, value);
        }
    }

    void ICollection<KeyValuePair<string, object>>.Add(KeyValuePair<string, object> item) => ((IDictionary<string, object>)this).Add(item.Key, item.Value);

    void ICollection<KeyValuePair<string, object>>.Clear()
    {
        lock (_call.Gate)
        {
            ThrowIfSealed();
            _call.Values.Clear();
        }
    }

    bool ICollection<KeyValuePair<string, object>>.Contains(KeyValuePair<string, object> item) =>
        TryGet(item.Key, out var value) && EqualityComparer<object>.Default.Equals(value, item.Value);

    void ICollection<KeyValuePair<string, object>>.CopyTo(KeyValuePair<string, object>[] array, int arrayIndex) =>
        Snapshot(build: true).CopyTo(array, arrayIndex);

    IEnumerator<KeyValuePair<string, object>> IEnumerable<KeyValuePair<string, object>>.GetEnumerator() =>
        Snapshot(build: true).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => Snapshot(build: true).GetEnumerator();

    bool IDictionary<string, object>.Remove(string key)
    {
        lock (_call.Gate)
        {
            ThrowIfSealed();
            return _call.Values.Remove(key, RequestEnvironment.SlotOf(key));
        }
    }

    bool ICollection<KeyValuePair<string, object>>.Remove(KeyValuePair<string, object> item)
    {
        lock (_call.Gate)
        {
            return ((ICollection<KeyValuePair<string, object>>)this).Contains(item) && ((IDictionary<string, object>)this).Remove(item.Key);
        }
    }

    private bool TryGet(string key, out object value)
    {
        var slot = RequestEnvironment.SlotOf(key);
        lock (_call.Gate)
        {
            ThrowIfSealed();
            if (!_call.Values.TryGetValue(key, slot, out value))
            {
                return false;
            }

            if (value == RequestEnvironment.Deferred)
            {
                value = _call.Build(slot, this);
                _call.Values.SetKnown(slot, value);
            }

            return true;
        }
    }

    // A copy taken under the gate: an enumeration sees this request's entries whatever happens to the call later.
    private List<KeyValuePair<string, object>> Snapshot(bool build)
    {
        lock (_call.Gate)
        {
            ThrowIfSealed();
            var entries = new List<KeyValuePair<string, object>>(_call.Values.Count);
            _call.Values.CopyEntries(entries);
            for (var i = 0; build && i < entries.Count; i++)
            {
                if (entries[i].Value == RequestEnvironment.Deferred)
                {
                    var slot = RequestEnvironment.SlotOf(entries[i].Key);
                    var value = _call.Build(slot, this);
                    _call.Values.SetKnown(slot, value);
                    entries[i] = new KeyValuePair<string, object>(entries[i].Key, value);
                }
            }

            return entries;
        }
    }
}
