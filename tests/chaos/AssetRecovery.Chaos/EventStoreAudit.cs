using Npgsql;

namespace AssetRecovery.Chaos;

/// <summary>Which requests of one fault are in the event store, how often, and whether their sagas agree with it.</summary>
public sealed record StoreFindings(
    int RequestsFound,
    int RequestsLost,
    int RequestsDuplicated,
    int StoredWithoutAcknowledgement,
    int ResultsAcknowledged,
    int ResultsFound,
    int ResultsLost,
    int ResultsDuplicated,
    IReadOnlyList<string> Problems);

/// <summary>Where the sagas of one fault stand against what the event store says they should be.</summary>
public sealed record SagaFindings(int Checked, int Right, int SeizureViewsMissing, IReadOnlyList<string> Wrong);

/// <summary>
/// Reads the private PostgreSQL directly: the freeze events of one fault's cases (schema events), the freeze sagas
/// (freeze_service.mt_doc_freezesagastate), their pending deadlines (messaging.scheduled_messages) and seizure's view
/// of frozen money (seizure_service.mt_doc_frozenfunds).
/// </summary>
public sealed class EventStoreAudit(NpgsqlDataSource database, ChaosOptions options)
{
    private const string Requested = "freeze_requested";
    private const string Executed = "freeze_executed_by_bank";
    private const string Rejected = "freeze_rejected_by_bank";

    private sealed record FreezeEvent(Guid StreamId, string Type, string CaseNumber);

    public async Task<StoreFindings> CheckRequestsAsync(IReadOnlyCollection<Submission> submissions, string casePrefix)
    {
        var events = await LoadEventsAsync(casePrefix);
        var requestsByCase = events.Where(e => e.Type == Requested).ToLookup(e => e.CaseNumber);
        var resultsByStream = events.Where(e => e.Type is Executed or Rejected).ToLookup(e => e.StreamId);
        var problems = new List<string>();
        int found = 0, lost = 0, duplicated = 0, storedUnacknowledged = 0, resultsFound = 0, resultsLost = 0, resultsDuplicated = 0;

        foreach (var submission in submissions)
        {
            var stored = requestsByCase[submission.CaseNumber].ToList();
            if (stored.Count > 1)
            {
                duplicated++;
                problems.Add($"duplicated: case {submission.CaseNumber} has {stored.Count} freeze streams ({string.Join(", ", stored.Select(s => s.StreamId))})");
            }
            if (submission.FreezeId is { } freezeId)
            {
                if (stored.Any(s => s.StreamId == freezeId)) found++;
                else
                {
                    lost++;
                    problems.Add($"lost: freeze {freezeId} (case {submission.CaseNumber}) was answered 2xx but has no FreezeRequested event");
                }
            }
            else if (stored.Count > 0) storedUnacknowledged++;

            if (!submission.ResultAcknowledged) continue;
            var results = resultsByStream[submission.FreezeId!.Value].Count();
            if (results == 1) resultsFound++;
            else if (results == 0)
            {
                resultsLost++;
                problems.Add($"lost: the bank result of freeze {submission.FreezeId} was answered 2xx but is not in its stream");
            }
            else
            {
                resultsDuplicated++;
                problems.Add($"duplicated: freeze {submission.FreezeId} has {results} bank results");
            }
        }
        return new StoreFindings(found, lost, duplicated, storedUnacknowledged, submissions.Count(s => s.ResultAcknowledged), resultsFound,
            resultsLost, resultsDuplicated, problems);
    }

    /// <summary>
    /// Every freeze stream of the fault's cases (acknowledged or not: a stored request must be carried through too) has a
    /// saga in the state its events call for, with the deadline that state needs stored in the scheduler; every executed
    /// freeze is known to the seizure service.
    /// </summary>
    public async Task<SagaFindings> CheckSagasAsync(string casePrefix)
    {
        var events = await LoadEventsAsync(casePrefix);
        var expected = events.GroupBy(e => e.StreamId).Where(g => g.Any(e => e.Type == Requested)).ToDictionary(g => g.Key,
            g => g.Any(e => e.Type == Rejected) ? "Rejected" : g.Any(e => e.Type == Executed) ? "Frozen" : "AwaitingBankExecution");
        var executed = events.Where(e => e.Type == Executed).Select(e => e.StreamId).Distinct().ToArray();

        string Stored(string tokenProperty) =>
            $"EXISTS (SELECT 1 FROM {options.SchedulerSchema}.scheduled_messages m WHERE m.token_id = (s.data->>'{tokenProperty}')::uuid)";
        await using var command = database.CreateCommand($"""
            SELECT s.id, s.data->>'CurrentState',
                   {Stored("AcknowledgementTimeoutTokenId")}, {Stored("TermEndTokenId")}, {Stored("ExpiryReminderTokenId")}
            FROM {options.FreezeSchema}.mt_doc_freezesagastate s
            WHERE s.id = ANY(@ids)
            """);
        command.Parameters.AddWithValue("ids", expected.Keys.ToArray());
        var sagas = new Dictionary<Guid, (string State, bool Acknowledgement, bool TermEnd, bool Reminder)>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                sagas[reader.GetGuid(0)] = (reader.GetString(1), reader.GetBoolean(2), reader.GetBoolean(3), reader.GetBoolean(4));

        var wrong = new List<string>();
        foreach (var (freezeId, state) in expected)
        {
            if (!sagas.TryGetValue(freezeId, out var saga)) wrong.Add($"freeze {freezeId}: no saga (expected {state})");
            else if (saga.State != state) wrong.Add($"freeze {freezeId}: saga {saga.State}, expected {state}");
            else if (state == "AwaitingBankExecution" && !saga.Acknowledgement)
                wrong.Add($"freeze {freezeId}: saga awaits the bank but its acknowledgement deadline is not stored in the scheduler");
            else if (state == "Frozen" && !(saga.TermEnd && saga.Reminder))
                wrong.Add($"freeze {freezeId}: saga is Frozen but its term end/expiry reminder is not stored in the scheduler "
                          + $"(term end {saga.TermEnd}, reminder {saga.Reminder})");
        }

        await using var seizure = database.CreateCommand(
            $"SELECT count(*) FROM unnest(@ids) AS f(id) WHERE NOT EXISTS (SELECT 1 FROM {options.SeizureSchema}.mt_doc_frozenfunds d WHERE d.id = f.id)");
        seizure.Parameters.AddWithValue("ids", executed);
        var seizureMissing = (int)(long)(await seizure.ExecuteScalarAsync())!;
        return new SagaFindings(expected.Count, expected.Count - wrong.Count, seizureMissing, wrong);
    }

    private async Task<List<FreezeEvent>> LoadEventsAsync(string casePrefix)
    {
        await using var command = database.CreateCommand($"""
            SELECT stream_id, type, data->>'CaseNumber' FROM {options.EventsSchema}.mt_events
            WHERE type IN ('{Requested}', '{Executed}', '{Rejected}') AND data->>'CaseNumber' LIKE @prefix
            """);
        command.Parameters.AddWithValue("prefix", casePrefix + "%");
        var events = new List<FreezeEvent>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) events.Add(new FreezeEvent(reader.GetGuid(0), reader.GetString(1), reader.GetString(2)));
        return events;
    }
}
