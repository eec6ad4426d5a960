using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;

namespace LegacyApp.Tests.Databases;

/// <summary>
/// A SQLite file with Microsoft.Data.Sqlite, LegacyApp's default <c>Sqlite</c> provider. There is no server to stop,
/// freeze or restart; its faults are a file that cannot be opened and a lock held by another connection.
/// </summary>
/// <remarks>
/// The tests run as root, whom <c>chmod 000</c> does not stop, so the unreadable file is a directory in its place.
/// A connection open on the file keeps reading the old inode after the swap, so the fault shows once the pool is
/// empty (a restarted or idle app), which <see cref="BeginAsync"/> arranges. Connections cannot be counted on a
/// relay; each one holds a descriptor on the file, so this counts those in this process (LegacyApp runs in it).
/// </remarks>
internal sealed class SqliteDatabase : FaultMatrixDatabase
{
    private readonly string _directory;
    private readonly string _file;
    private SqliteConnection? _locker;
    private CancellationTokenSource? _sampling;
    private Task _sampler = Task.CompletedTask;
    private int _maxDescriptors;
    private int _lockerDescriptors;

    private SqliteDatabase(string directory)
    {
        _directory = directory;
        _file = Path.Combine(directory, "app.db");
    }

    public override string Engine => "SQLite";

    public override string Provider => "Sqlite";

    // ReadWrite, not the default ReadWriteCreate: a missing file must fail, not be created empty.
    public override string ConnectionString => $"Data Source={_file};Mode=ReadWrite";

    public override IReadOnlyList<string> Secrets => [_directory, "app.db", "SQLite", "Sqlite", "unable to open", "locked"];

    private string AsideFile => _file + ".aside";

    public static SqliteDatabase Create()
    {
        var database = new SqliteDatabase(Directory.CreateTempSubdirectory("healthendpoint-sqlite-").FullName);
        using var create = new SqliteConnection($"Data Source={database._file};Pooling=False");
        create.Open();
        return database;
    }

    public override async Task BeginAsync(DatabaseFault fault)
    {
        switch (fault)
        {
            case DatabaseFault.Unreadable:
                File.Move(_file, AsideFile);
                Directory.CreateDirectory(_file);
                await EmptyPoolAsync();
                break;
            case DatabaseFault.Locked:
                _locker = new SqliteConnection($"Data Source={_file};Pooling=False");
                _locker.Open();
                using (var command = _locker.CreateCommand())
                {
                    command.CommandText = "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;";
                    command.ExecuteNonQuery();
                }

                _lockerDescriptors = CountDescriptors();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, "SQLite has no such fault.");
        }
    }

    public override Task EndAsync(DatabaseFault fault)
    {
        switch (fault)
        {
            case DatabaseFault.Unreadable:
                Directory.Delete(_file);
                File.Move(AsideFile, _file);
                break;
            case DatabaseFault.Locked:
                _locker?.Dispose(); // Rolls back and releases the lock.
                _locker = null;
                _lockerDescriptors = 0;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, "SQLite has no such fault.");
        }

        return Task.CompletedTask;
    }

    public override Task EmptyPoolAsync()
    {
        SqliteConnection.ClearAllPools();
        return Task.CompletedTask;
    }

    public override void ResetAttemptCounts()
    {
        StopSampling();
        _maxDescriptors = 0;
        _sampling = new CancellationTokenSource();
        var token = _sampling.Token;
        _sampler = Task.Run(async () =>
        {
            while (!token.IsCancellationRequested)
            {
                _maxDescriptors = Math.Max(_maxDescriptors, CountDescriptors());
                await Task.Delay(2, CancellationToken.None);
            }
        }, CancellationToken.None);
    }

    public override int MaxAttemptsInFlight()
    {
        StopSampling();
        return Math.Max(0, _maxDescriptors - _lockerDescriptors);
    }

    public override async Task<int> OpenManyAsync(int count, DatabaseFault fault)
    {
        // Microsoft.Data.Sqlite opens synchronously: one thread per open, so that they really wait together.
        var failed = 0;
        var threads = Enumerable.Range(0, count).Select(_ => new Thread(() =>
        {
            try
            {
                using var connection = new SqliteConnection(ConnectionString + ";Pooling=False;Default Timeout=2");
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT 1";
                command.ExecuteScalar();
            }
            catch (SqliteException)
            {
                Interlocked.Increment(ref failed);
            }
        })).ToList();
        threads.ForEach(thread => thread.Start());
        await Task.Run(() => threads.ForEach(thread => thread.Join()));
        return failed;
    }

    public override async Task RepairAsync()
    {
        StopSampling();
        if (_locker is not null)
        {
            await EndAsync(DatabaseFault.Locked);
        }

        if (Directory.Exists(_file))
        {
            await EndAsync(DatabaseFault.Unreadable);
        }

        SqliteConnection.ClearAllPools();
    }

    public override async ValueTask DisposeAsync()
    {
        await RepairAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail the test run; the OS cleans /tmp.
        }
    }

    private void StopSampling()
    {
        _sampling?.Cancel();
        _sampler.Wait();
        _sampling?.Dispose();
        _sampling = null;
    }

    /// <summary>How many of this process's file descriptors are open on the database file.</summary>
    private int CountDescriptors()
    {
        var count = 0;
        foreach (var descriptor in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(descriptor).LinkTarget == _file)
                {
                    count++;
                }
            }
            catch (IOException)
            {
                // Closed while we looked.
            }
        }

        return count;
    }
}
