namespace FibQuant.Cli.Commands;

/// <summary>
/// A mistake in the command line or in a file it names. Program prints the message as one line (no stack trace) and
/// exits with code 2; the message names the option as typed (<c>-k</c>, not <c>blockSize</c>) and the allowed values.
/// </summary>
internal sealed class UsageException(string message) : Exception(message);
