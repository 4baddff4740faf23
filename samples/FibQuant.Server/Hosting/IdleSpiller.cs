using System;
using System.Threading;
using System.Threading.Tasks;
using FibQuant.Server.Sessions;
using Microsoft.Extensions.Hosting;

namespace FibQuant.Server.Hosting;

/// <summary>Once a second, spills the sessions idle for longer than <see cref="ServerOptions.SpillAfter"/>.</summary>
internal sealed class IdleSpiller(SessionStore store, ServerOptions options) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.SpillEnabled || options.SpillAfter <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false)) store.SpillIdle(options.SpillAfter);
    }
}
