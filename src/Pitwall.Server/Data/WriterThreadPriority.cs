using System.Runtime.InteropServices;

namespace Pitwall.Server.Data;

/// <summary>
/// SQLite's one writer thread is every car's ack and every command's wait, and it was starved: among the thread pool's
/// per-frame workers (and on a busy machine, everyone else's threads) the kernel gave it an equal share, so a batch that
/// needs 20 ms of CPU took ten times that waiting to run (bench/README.md §1, issue 17). On Linux the thread asks for a
/// larger share (nice −10, about nine times a normal thread's weight); it is busy only while writes wait, so it never takes
/// more than the writes need. Where the process may not raise a priority (no CAP_SYS_NICE) it stays as it was.
/// </summary>
internal static class WriterThreadPriority
{
    private const int Nice = -10;

    /// <summary>Whether the current writer thread got its larger share.</summary>
    internal static bool Raised { get; private set; }

    /// <summary>Call on the writer's own thread.</summary>
    internal static void RaiseCurrentThread()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        try
        {
            Raised = setpriority(PrioProcess, gettid(), Nice) == 0; // PRIO_PROCESS with a thread id: that thread alone
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Raised = false;
        }
    }

    private const int PrioProcess = 0;

    [DllImport("libc", SetLastError = true)]
    private static extern int setpriority(int which, int who, int prio);

    [DllImport("libc")]
    private static extern int gettid();
}
