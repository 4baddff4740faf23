using Xunit;

// Some tests set the FIBQUANT_DATA environment variable, which every data-reading test depends on.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
