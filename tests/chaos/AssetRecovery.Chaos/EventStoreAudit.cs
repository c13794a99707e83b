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

/// <summary>
/// Where the sagas of one fault stand against what the event store says they should be. StatesRight counts the state
/// alone; Right also needs the deadlines of that state stored in the scheduler.
/// </summary>
public sealed record SagaFindings(int Checked, int StatesRight, int Right, int SeizureViewsMissing, IReadOnlyList<string> Wrong);

/// <summary>A dead letter and why it is there, when the suite can tell.</summary>
public sealed record ExplainedDeadLetter(DeadLetter Letter, string? Explanation)
{
    public bool IsExplained => Explanation is not null;
    public string Description => Explanation ?? Letter.FaultDescription ?? "no fault recorded, and not a known duplicate";
}

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
            SELECT s.id, s.data->>'CurrentState', (s.data->>'UpdatedAt')::timestamptz,
                   {Stored("AcknowledgementTimeoutTokenId")}, {Stored("TermEndTokenId")}, {Stored("ExpiryReminderTokenId")}
            FROM {options.FreezeSchema}.mt_doc_freezesagastate s
            WHERE s.id = ANY(@ids)
            """);
        command.Parameters.AddWithValue("ids", expected.Keys.ToArray());
        var sagas = new Dictionary<Guid, (string State, DateTime UpdatedAt, bool Acknowledgement, bool TermEnd, bool Reminder)>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                sagas[reader.GetGuid(0)] = (reader.GetString(1), reader.GetDateTime(2), reader.GetBoolean(3), reader.GetBoolean(4), reader.GetBoolean(5));

        var wrong = new List<string>();
        var wrongStates = 0;
        foreach (var (freezeId, state) in expected)
        {
            if (!sagas.TryGetValue(freezeId, out var saga) || saga.State != state)
            {
                wrongStates++;
                wrong.Add(saga.State is null ? $"freeze {freezeId}: no saga (expected {state})" : $"freeze {freezeId}: saga {saga.State}, expected {state}");
            }
            else if (state == "AwaitingBankExecution" && !saga.Acknowledgement)
                wrong.Add($"freeze {freezeId}: saga awaits the bank (state saved {saga.UpdatedAt:HH:mm:ss.fff}) but its acknowledgement " +
                          "deadline never reached the scheduler");
            else if (state == "Frozen" && !(saga.TermEnd && saga.Reminder))
                wrong.Add($"freeze {freezeId}: saga is Frozen (state saved {saga.UpdatedAt:HH:mm:ss.fff}) but its term end/expiry reminder " +
                          $"never reached the scheduler (term end stored: {saga.TermEnd}, reminder stored: {saga.Reminder})");
        }

        await using var seizure = database.CreateCommand(
            $"SELECT count(*) FROM unnest(@ids) AS f(id) WHERE NOT EXISTS (SELECT 1 FROM {options.SeizureSchema}.mt_doc_frozenfunds d WHERE d.id = f.id)");
        seizure.Parameters.AddWithValue("ids", executed);
        var seizureMissing = (int)(long)(await seizure.ExecuteScalarAsync())!;
        return new SagaFindings(expected.Count, expected.Count - wrongStates, expected.Count - wrong.Count, seizureMissing, wrong);
    }

    /// <summary>
    /// A skipped message whose id is in its endpoint's inbox is a duplicate of one already processed: the relay publishes
    /// at least once, and the inbox filter drops the copy without consuming it, which MassTransit files under _skipped.
    /// </summary>
    public async Task<IReadOnlyList<ExplainedDeadLetter>> ExplainAsync(IReadOnlyList<DeadLetter> letters)
    {
        string InboxKey(DeadLetter letter) => $"{options.RabbitVirtualHost}/{letter.Endpoint}/{letter.MessageId:N}";
        var keys = letters.Where(l => l.IsSkipped && l.MessageId is not null).Select(InboxKey).Distinct().ToArray();
        var processed = new HashSet<string>();
        if (keys.Length > 0)
        {
            var inboxes = string.Join(" UNION ALL ", options.ServiceSchemas.Select(schema => $"SELECT id FROM {schema}.mt_doc_processedmessage WHERE id = ANY(@keys)"));
            await using var command = database.CreateCommand(inboxes);
            command.Parameters.AddWithValue("keys", keys);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) processed.Add(reader.GetString(0));
        }
        return letters.Select(letter => new ExplainedDeadLetter(letter,
            letter.IsSkipped && letter.MessageId is not null && processed.Contains(InboxKey(letter))
                ? "duplicate of a message this endpoint already processed (in its inbox), dropped unconsumed by the inbox filter"
                : null)).ToList();
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
