namespace FibQuant.Coding;

/// <summary>How the norm header ν = ‖x‖₂ is stored in front of each encoded vector.</summary>
public enum NormFormat
{
    /// <summary>IEEE half precision, 2 bytes (the default; relative error ≤ 2⁻¹¹, ν ≤ 65504).</summary>
    Half = 0,

    /// <summary>IEEE single precision, 4 bytes.</summary>
    Single = 1,
}
