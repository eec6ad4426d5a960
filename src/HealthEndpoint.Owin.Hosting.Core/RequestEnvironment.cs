using System;
using System.Collections.Generic;
using System.Numerics;

namespace HealthEndpoint.Owin.Hosting.Core;

/// <summary>
/// The values of a request's OWIN environment: the keys the host sets live in a fixed slot array, any other key an
/// app adds in a dictionary. Kept by the connection and cleared for each of its requests; the app never holds it,
/// only the request's <see cref="RequestFacade"/>, which reads and writes it while its request lasts.
/// </summary>
/// <remarks>
/// A slot may hold <see cref="Deferred"/>: a value the host builds only when the app first reads it (the request
/// headers' copy, the request body, the token, the callback registration), so a request that never asks costs nothing.
/// Not thread-safe: the facade guards it.
/// </remarks>
internal sealed class RequestEnvironment
{
    /// <summary>The value of a slot whose value is built on first read.</summary>
    public static readonly object Deferred = new();

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

    private readonly object?[] _values = new object?[Known.Length];
    private int _present;
    private Dictionary<string, object>? _extra;

    public int Count => BitOperations.PopCount((uint)_present) + (_extra?.Count ?? 0);

    /// <summary>The name of a host's slot.</summary>
    public static string KeyOf(int slot) => Known[slot];

    /// <summary>The slot of a host's key, or -1 for any other key.</summary>
    public static int SlotOf(string key) => key switch
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

    /// <summary>Sets one of the host's keys by its slot, without looking the name up.</summary>
    public void SetKnown(int slot, object value)
    {
        _values[slot] = value;
        _present |= 1 << slot;
    }

    /// <summary>The value of a host's slot (possibly <see cref="Deferred"/>), or null when it is not present.</summary>
    public object? GetKnown(int slot) => (_present & (1 << slot)) != 0 ? _values[slot] : null;

    /// <summary>Whether the slot is present; its value may be <see cref="Deferred"/>.</summary>
    public bool Has(int slot) => (_present & (1 << slot)) != 0;

    /// <summary>Looks a key up; a host's slot may give <see cref="Deferred"/>, which the facade builds and stores.</summary>
    public bool TryGetValue(string key, int slot, out object value)
    {
        if (slot >= 0)
        {
            value = _values[slot]!;
            return (_present & (1 << slot)) != 0;
        }

        value = null!;
        return _extra is not null && _extra.TryGetValue(key, out value!);
    }

    public void Set(string key, int slot, object value)
    {
        if (slot >= 0)
        {
            SetKnown(slot, value);
        }
        else
        {
            (_extra ??= new Dictionary<string, object>(StringComparer.Ordinal))[key] = value;
        }
    }

    public bool Remove(string key, int slot)
    {
        if (slot < 0)
        {
            return _extra is not null && _extra.Remove(key);
        }

        var present = (_present & (1 << slot)) != 0;
        _present &= ~(1 << slot);
        _values[slot] = null;
        return present;
    }

    /// <summary>The present entries, host's keys first; <see cref="Deferred"/> values are left for the caller to build.</summary>
    public void CopyEntries(List<KeyValuePair<string, object>> entries)
    {
        for (var slot = 0; slot < Known.Length; slot++)
        {
            if ((_present & (1 << slot)) != 0)
            {
                entries.Add(new KeyValuePair<string, object>(Known[slot], _values[slot]!));
            }
        }

        if (_extra is not null)
        {
            entries.AddRange(_extra);
        }
    }

    /// <summary>Empties every slot and the app's keys, keeping the storage for the connection's next request.</summary>
    public void Clear()
    {
        Array.Clear(_values);
        _present = 0;
        _extra?.Clear();
    }
}
