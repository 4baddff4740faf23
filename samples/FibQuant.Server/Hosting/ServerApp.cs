using System;
using System.Globalization;
using System.Net;
using System.Threading.Tasks;
using FibQuant.Server.Api;
using FibQuant.Server.Caching;
using FibQuant.Server.Metrics;
using FibQuant.Server.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FibQuant.Server.Hosting;

/// <summary>Builds the server: Kestrel on 127.0.0.1 only, the model, the session store and the routes.</summary>
internal static class ServerApp
{
    /// <summary>Largest request body accepted (a prompt longer than any context fits in far less).</summary>
    public const long MaxRequestBodyBytes = 1 << 20;

    /// <summary>Builds the application from command-line <paramref name="args"/>; the model is loaded before it returns.</summary>
    /// <exception cref="System.IO.FileNotFoundException">The model or tokenizer file is missing; the message names the path.</exception>
    /// <exception cref="ArgumentException">An option is malformed or out of range.</exception>
    public static WebApplication Create(string[] args)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
        ServerOptions options = ServerOptions.From(builder.Configuration);
        ModelHost host = ModelHost.Load(options);
        var metrics = new ServerMetrics();
        var store = new SessionStore(host, options, metrics, CodecRegistry.Shared);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddSingleton(options).AddSingleton(host).AddSingleton(metrics).AddSingleton(store);
        builder.Services.AddHostedService(_ => new IdleSpiller(store, options));

        WebApplication app = builder.Build();
        app.Lifetime.ApplicationStopped.Register(store.Dispose);
        app.Use((context, next) => AnswerRejectionsAsync(context, next, metrics));
        SessionEndpoints.Map(app, store, host, metrics);
        StatusEndpoints.Map(app, store, host, metrics);
        return app;
    }

    /// <summary>Turns a <see cref="RequestException"/> into its 4xx answer; a client that went away ends quietly.</summary>
    private static async Task AnswerRejectionsAsync(HttpContext context, RequestDelegate next, ServerMetrics metrics)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (RequestException e) when (!context.Response.HasStarted)
        {
            metrics.RecordRejection(e.Status);
            if (e.RetryAfterSeconds is int seconds) context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await HttpJson.WriteAsync(context, e.Status, new ErrorBody(e.Status, e.Message), ServerJsonContext.Default.ErrorBody).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || context.Response.HasStarted)
        {
        }
    }
}
