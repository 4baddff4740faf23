using System;
using System.IO;
using System.Runtime.CompilerServices;
using Xunit;

namespace FibQuant.Generators.Tests.Infrastructure;

/// <summary>Hand-rolled snapshots: Snapshots/NAME.verified.cs beside the tests; UPDATE_SNAPSHOTS=1 rewrites them.</summary>
internal static class Snapshot
{
    public static void Verify(string name, string actual, [CallerFilePath] string callerPath = "")
    {
        string folder = Path.Combine(Path.GetDirectoryName(callerPath)!, "Snapshots");
        string path = Path.Combine(folder, name + ".verified.cs");
        actual = actual.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"Snapshot {path} is missing; run the tests with UPDATE_SNAPSHOTS=1 to create it.");
        string expected = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (expected != actual)
        {
            int at = 0;
            while (at < Math.Min(expected.Length, actual.Length) && expected[at] == actual[at]) at++;
            int line = expected.AsSpan(0, at).Count('\n') + 1;
            Assert.Fail($"Generated source differs from {path} at line {line}; review the change and run with UPDATE_SNAPSHOTS=1 to accept it.");
        }
    }
}
