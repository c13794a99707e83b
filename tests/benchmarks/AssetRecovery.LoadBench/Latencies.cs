namespace AssetRecovery.LoadBench;

/// <summary>Latencies in milliseconds, collected from many tasks at once; percentiles by the nearest-rank method.</summary>
public sealed class Latencies
{
    private readonly List<double> _values = [];

    public void Add(double milliseconds)
    {
        lock (_values) _values.Add(milliseconds);
    }

    public int Count
    {
        get { lock (_values) return _values.Count; }
    }

    public double Percentile(double p)
    {
        lock (_values)
        {
            if (_values.Count == 0) return double.NaN;
            var sorted = _values.Order().ToArray();
            var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
            return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
        }
    }

    public string Summary() => Count == 0 ? "none" : $"{Percentile(50):F1} / {Percentile(95):F1} / {Percentile(99):F1}";
}
