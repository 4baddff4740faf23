namespace FibQuant.Llama.Evaluation;

/// <summary>Progress of a sweep: <paramref name="Completed"/> of <paramref name="Total"/> steps, now at <paramref name="Step"/>.</summary>
/// <param name="Completed">Steps finished (a step is a codebook design, an evaluation window or a synthetic head).</param>
/// <param name="Total">All steps.</param>
/// <param name="Step">What is being done now.</param>
public readonly record struct SweepProgress(int Completed, int Total, string Step);
