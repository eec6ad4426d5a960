namespace LegacyApp.Tests.Databases;

/// <summary>A fault the database check meets, named by what an operator sees.</summary>
public enum DatabaseFault
{
    /// <summary>The server process is stopped: connections are refused.</summary>
    Stopped,

    /// <summary>The server process is frozen (SIGSTOP): the port accepts connections, nothing answers.</summary>
    Frozen,

    /// <summary>SQLite: a directory stands where the database file was, so no connection opens (root ignores chmod).</summary>
    Unreadable,

    /// <summary>SQLite's freeze: another connection holds an exclusive lock, so every open waits on the busy timeout.</summary>
    Locked,
}
