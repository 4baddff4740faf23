using FibQuant.Coding;
using FibQuant.Evaluation;

namespace FibQuant.Tests.Support;

internal static class Distortion
{
    /// <summary>Mean over vectors of ‖x − decode(encode(x))‖², through the batch APIs.</summary>
    public static double Measure(FibQuantizer quantizer, float[] vectors)
    {
        int d = quantizer.Dimension;
        int count = vectors.Length / d;
        var codes = new byte[count * quantizer.EncodedSize];
        var decoded = new float[vectors.Length];
        quantizer.EncodeBatch(vectors, codes);
        quantizer.DecodeBatch(codes, decoded);
        double sum = 0;
        for (int i = 0; i < vectors.Length; i++)
        {
            double diff = vectors[i] - decoded[i];
            sum += diff * diff;
        }

        double batch = sum / count;
        Xunit.Assert.Equal(RateDistortion.MeanSquaredError(quantizer, vectors), batch, 1e-12);
        return batch;
    }
}
