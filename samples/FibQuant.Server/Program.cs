using System;
using System.IO;
using FibQuant.Server.Hosting;
using Microsoft.AspNetCore.Builder;

// fibquant-server: an inference server for the llama2.c runner with compressed KV caches. Options: ServerOptions.
try
{
    WebApplication app = ServerApp.Create(args);
    app.Run();
    return 0;
}
catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or ArgumentException)
{
    Console.Error.WriteLine($"fibquant-server: {e.Message}");
    return 2;
}
