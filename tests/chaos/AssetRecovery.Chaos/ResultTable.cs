namespace AssetRecovery.Chaos;

/// <summary>The result as a Markdown table (so it can go into the README as printed), then the details behind any non-zero cell.</summary>
public static class ResultTable
{
    public static void Print(IReadOnlyList<FaultResult> results, ChaosOptions options)
    {
        Console.WriteLine();
        Console.WriteLine($"Fault suite: {options.RequestsPerSecond:0.#} freeze requests/s, half of them then given the bank's result; " +
                          $"client timeout {options.ClientTimeout.TotalSeconds:0} s (slower counts as a hang)");
        Console.WriteLine();
        Console.WriteLine("| fault | sent | acknowledged (2xx) | found | duplicated | lost | bank results acked/found | sagas right | " +
                          "seizure views | error-queue entries | 503 during outage | 5xx | hangs | refused (down) | settled in | machine load |");
        Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|");
        foreach (var r in results)
        {
            var store = r.Store;
            var unavailable = r.Fault.DatabaseOutage ? $"{r.UnavailableInOutage}/{r.AttemptsInOutage}" : "-";
            var seizure = r.Sagas.SeizureViewsMissing == 0 ? "all" : $"{r.Sagas.SeizureViewsMissing} missing";
            var explained = r.DeadLetters.Count(d => d.IsExplained);
            var deadLetters = r.DeadLetters.Count == 0 ? "0" : $"{r.DeadLetters.Count} ({explained} explained)";
            var settled = r.SettledInTime ? $"{r.Settled.TotalSeconds:F0} s" : $"not in {r.Settled.TotalSeconds:F0} s";
            Console.WriteLine($"| {r.Fault.Name} | {r.Sent} | {r.Acknowledged} | {store.RequestsFound} | " +
                              $"{store.RequestsDuplicated + store.ResultsDuplicated} | {store.RequestsLost + store.ResultsLost} | " +
                              $"{store.ResultsAcknowledged}/{store.ResultsFound} | {r.Sagas.Right}/{r.Sagas.Checked} | {seizure} | " +
                              $"{deadLetters} | {unavailable} | {r.ServerErrors.Count} | {r.Hangs.Count} | {r.ConnectionFailures} | {settled} | {r.MachineLoad} |");
        }
        Console.WriteLine();

        foreach (var r in results)
        {
            var notes = new List<string>();
            if (r.Store.StoredWithoutAcknowledgement > 0)
                notes.Add($"{r.Store.StoredWithoutAcknowledgement} requests stored although the client never got a 2xx (answer lost to the fault; " +
                          "kept once, as a retry with the same Idempotency-Key would find)");
            notes.AddRange(r.Store.Problems.Take(10));
            notes.AddRange(r.Sagas.Wrong.Take(10).Select(w => "saga: " + w));
            if (r.Sagas.Wrong.Count > 10) notes.Add($"... and {r.Sagas.Wrong.Count - 10} more sagas");
            notes.AddRange(r.DeadLetters.GroupBy(d => (d.Letter.Queue, d.Letter.MessageType, d.Description))
                .Select(g => $"{g.Count()} in {g.Key.Queue} ({g.Key.MessageType}): {Shorten(g.Key.Description)}"));
            notes.AddRange(r.ServerErrors.Take(10).Select(a => $"{a.Status} on {a.Operation} sent {Relative(a, r.Outage)}"));
            notes.AddRange(r.Hangs.Take(10).Select(a => $"hang on {a.Operation} sent {Relative(a, r.Outage)}"));
            if (r.Backlog > 0) notes.Add($"{r.Backlog} messages still in queues after settling");
            var failures = r.Failures().ToList();
            Console.WriteLine($"{r.Fault.Name} ({r.Fault.Description}): {(failures.Count == 0 ? "PASSED" : "FAILED: " + string.Join("; ", failures))}");
            foreach (var note in notes) Console.WriteLine($"  - {note}");
        }
    }

    /// <summary>When an attempt was sent, against the fault: "3.2 s into the outage", "1.5 s after recovery".</summary>
    private static string Relative(Attempt attempt, OutageWindow outage) =>
        attempt.StartedAt < outage.From ? $"{(outage.From - attempt.StartedAt).TotalSeconds:F1} s before the fault"
        : attempt.StartedAt <= outage.Until ? $"{(attempt.StartedAt - outage.From).TotalSeconds:F1} s into the outage"
        : $"{(attempt.StartedAt - outage.Until).TotalSeconds:F1} s after the fault's end";

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
