using System.CommandLine;
using Pitwall.Simulator.Cli;

namespace Pitwall.Simulator;

/// <summary><c>pitwall-sim</c>: the demo fleet, integration-test peer and load generator.</summary>
public static class Program
{
    public static Task<int> Main(string[] args) =>
        SimulatorCommandLine.Create().Parse(args).InvokeAsync(new InvocationConfiguration
        {
            // Ctrl+C cancels the run; give a large fleet time to close its sockets cleanly.
            ProcessTerminationTimeout = TimeSpan.FromSeconds(30),
        });
}
