using System;
using System.IO;
using FibQuant.Llama;
using Xunit;

namespace FibQuant.Llama.Tests;

public sealed class DataPathTests
{
    [Fact]
    public void DefaultIsSharedDataBesideTheRepositoryRoot()
    {
        WithEnvironment(null, () =>
        {
            string? root = LlamaDataPaths.FindRepositoryRoot(AppContext.BaseDirectory);
            Assert.NotNull(root);
            Assert.True(File.Exists(Path.Combine(root!, LlamaDataPaths.RepositoryMarker)));
            Assert.Equal(Path.GetFullPath(Path.Combine(root!, "..", "shared", "data")), LlamaDataPaths.DataDirectory());
            Assert.True(File.Exists(LlamaDataPaths.Resolve(LlamaDataPaths.Stories260K)));
        });
    }

    [Fact]
    public void EnvironmentVariableOverridesTheFolder()
    {
        string dir = TestData.TempDirectory();
        try
        {
            File.WriteAllText(Path.Combine(dir, "present.txt"), "x");
            WithEnvironment(dir, () =>
            {
                Assert.Equal(Path.GetFullPath(dir), LlamaDataPaths.DataDirectory());
                Assert.Equal(Path.Combine(Path.GetFullPath(dir), "present.txt"), LlamaDataPaths.Resolve("present.txt"));
                var e = Assert.Throws<FileNotFoundException>(() => LlamaDataPaths.Resolve(LlamaDataPaths.Stories260K));
                string expected = Path.Combine(Path.GetFullPath(dir), LlamaDataPaths.Stories260K);
                Assert.Equal(expected, e.FileName);
                Assert.Contains(expected, e.Message);
            });
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void RepositoryRootIsNullWithoutMarker()
    {
        string dir = TestData.TempDirectory();
        try
        {
            Assert.Null(LlamaDataPaths.FindRepositoryRoot(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void WithEnvironment(string? value, Action action)
    {
        string? saved = Environment.GetEnvironmentVariable(LlamaDataPaths.EnvironmentVariable);
        Environment.SetEnvironmentVariable(LlamaDataPaths.EnvironmentVariable, value);
        try
        {
            action();
        }
        finally
        {
            Environment.SetEnvironmentVariable(LlamaDataPaths.EnvironmentVariable, saved);
        }
    }
}
