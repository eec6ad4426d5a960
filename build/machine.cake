// What the machine gave a task: its CPU ticks from /proc/stat read before and after, so that a test run that failed
// on timing shows whether the cores were its own (a virtual machine's "steal" is time the host gave to others).

using System.Globalization;

// The aggregate "cpu" line of /proc/stat: user nice system idle iowait irq softirq steal, in clock ticks.
long[] CpuTicks() => System.IO.File.Exists("/proc/stat")
    ? System.IO.File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray()
    : null;

// "Machine during Test: 2 cores, busy 81 %, iowait 0.4 %, steal 0.0 %, load average 5.12 4.30 2.96".
string MachineLine(string task, long[] before)
{
    var after = CpuTicks();
    if (before == null || after == null)
    {
        return $"Machine during {task}: {Environment.ProcessorCount} cores (no /proc/stat).";
    }

    var used = after.Zip(before, (a, b) => a - b).ToArray();
    var total = Math.Max(1, used.Sum());
    string Share(long ticks) => (100.0 * ticks / total).ToString("0.0", CultureInfo.InvariantCulture) + " %";
    var load = System.IO.File.ReadAllText("/proc/loadavg").Split(' ').Take(3);
    return $"Machine during {task}: {Environment.ProcessorCount} cores, busy {Share(total - used[3] - used[4] - used[7])}, "
        + $"iowait {Share(used[4])}, steal {Share(used[7])}, load average {string.Join(" ", load)}";
}
