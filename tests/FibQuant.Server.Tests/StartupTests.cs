using System;
using System.IO;
using FibQuant.Server.Hosting;

namespace FibQuant.Server.Tests;

public sealed class StartupTests
{
    [Fact]
    public void A_missing_model_file_stops_startup_naming_the_path()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N"), "model.bin");
        var e = Assert.Throws<FileNotFoundException>(() => ServerApp.Create(["--port", "0", "--model", missing]));
        Assert.Contains(missing, e.Message);
    }

    [Fact]
    public void A_missing_default_model_names_the_data_folder_path()
    {
        string empty = Path.Combine(Path.GetTempPath(), "fibquant-empty-data-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(empty);
        string? saved = Environment.GetEnvironmentVariable("FIBQUANT_DATA");
        try
        {
            Environment.SetEnvironmentVariable("FIBQUANT_DATA", empty);
            var e = Assert.Throws<FileNotFoundException>(() => ServerApp.Create(["--port", "0"]));
            Assert.Contains(Path.Combine(empty, "hd64.bin"), e.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable("FIBQUANT_DATA", saved);
            Directory.Delete(empty);
        }
    }

    [Theory]
    [InlineData("--budget-bytes", "-5", "--budget-bytes must be an integer in [1, ")]
    [InlineData("--port", "70000", "--port must be an integer in [0, 65535]")]
    [InlineData("--spill", "maybe", "--spill must be on or off")]
    public void A_bad_option_stops_startup_naming_it(string option, string value, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => ServerApp.Create(["--port", "0", option, value]));
        Assert.Contains(message, e.Message);
    }
}
