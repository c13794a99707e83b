using Marten;
using Marten.Services;
using MassTransit;
using MassTransit.Context;
using MassTransit.Scheduling;
using Npgsql;

namespace AssetRecovery.Messaging.Scheduling;

/// <summary>A message waiting for its time, as stored in PostgreSQL.</summary>
public sealed record ScheduledMessageRecord(
    Guid TokenId,
    Uri Destination,
    DateTimeOffset DueAt,
    string[] MessageTypes,
    string ContentType,
    string Body,
    Guid? CorrelationId)
{
    /// <summary>
    /// What MassTransit's ScheduleMessage asks for (a saga's Schedule sends one), with the payload serialized as the
    /// envelope it will be delivered in, as the Quartz integration stores it.
    /// </summary>
    public static ScheduledMessageRecord Of(ScheduleMessage message, SerializerContext serializerContext, Guid? correlationId)
    {
        var serializer = serializerContext.GetMessageSerializer(message.Payload, message.PayloadType);
        var body = serializer.GetMessageBody(new MessageSendContext<ScheduleMessage>(message)).GetString();
        var dueAt = new DateTimeOffset(DateTime.SpecifyKind(message.ScheduledTime, DateTimeKind.Utc));
        return new ScheduledMessageRecord(message.CorrelationId, message.Destination, dueAt, message.PayloadType,
            serializer.ContentType.ToString(), body, correlationId);
    }
}

/// <summary>
/// PostgreSQL storage of scheduled messages. Due messages are claimed with FOR UPDATE SKIP LOCKED and deleted in the
/// same transaction after delivery, so several instances never deliver one message twice on purpose (at least once
/// on a crash between send and commit). A cancellation that arrives before its schedule is remembered.
/// </summary>
public sealed class ScheduledMessageStore(NpgsqlDataSource dataSource, SchedulerOptions options, ScheduledMessageSignal? signal = null)
{
    private string Schema => options.Schema;

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        var ddl = $"""
            CREATE SCHEMA IF NOT EXISTS {Schema};
            CREATE TABLE IF NOT EXISTS {Schema}.scheduled_messages (
                token_id uuid PRIMARY KEY,
                destination text NOT NULL,
                due_at timestamptz NOT NULL,
                message_types text[] NOT NULL,
                content_type text NOT NULL,
                body text NOT NULL,
                correlation_id uuid NULL,
                scheduled_at timestamptz NOT NULL DEFAULT now());
            CREATE INDEX IF NOT EXISTS ix_scheduled_messages_due_at ON {Schema}.scheduled_messages (due_at);
            ALTER TABLE {Schema}.scheduled_messages ADD COLUMN IF NOT EXISTS attempts int NOT NULL DEFAULT 0;
            ALTER TABLE {Schema}.scheduled_messages ADD COLUMN IF NOT EXISTS last_error text NULL;
            CREATE TABLE IF NOT EXISTS {Schema}.scheduled_message_cancellations (
                token_id uuid PRIMARY KEY,
                cancelled_at timestamptz NOT NULL DEFAULT now());
            """;
        // Several hosts may start at once: serialise the DDL on an advisory lock of our own.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var locking = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext(@name))", connection, transaction))
        {
            locking.Parameters.AddWithValue("name", $"{Schema}.scheduled_messages");
            await locking.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var command = new NpgsqlCommand(ddl, connection, transaction))
            await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Stores the message unless it is already stored or was cancelled. Returns true when it was stored now.</summary>
    public async Task<bool> ScheduleAsync(ScheduledMessageRecord message, CancellationToken cancellationToken)
    {
        await using var command = Direct(ScheduleSql, ScheduleParameters(message));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// The same as <see cref="ScheduleAsync"/>, staged in a Marten session: it commits with whatever else the session
    /// saves (a saga's deadline with the saga's state, in one transaction, without a trip through the scheduler queue).
    /// </summary>
    public void StageSchedule(IDocumentSession session, ScheduledMessageRecord message)
    {
        session.QueueSqlCommand(ScheduleSql, ScheduleParameters(message));
        // The dispatcher looks again once it is committed, in case it is due before the next poll.
        if (signal is not null && !session.Listeners.OfType<WakeDispatcherAfterCommit>().Any())
            session.Listeners.Add(new WakeDispatcherAfterCommit(signal));
    }

    /// <summary>Cancels a schedule, staged in a Marten session; a cancellation that comes first is remembered.</summary>
    public void StageCancel(IDocumentSession session, Guid tokenId) => session.QueueSqlCommand(CancelSql, CancelParameters(tokenId));

    private sealed class WakeDispatcherAfterCommit(ScheduledMessageSignal signal) : DocumentSessionListenerBase
    {
        public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
        {
            signal.Notify();
            return Task.CompletedTask;
        }
    }

    // "?" placeholders, as Marten's QueueSqlCommand takes them; cast, because a null has no type of its own.
    private string ScheduleSql => $"""
        INSERT INTO {Schema}.scheduled_messages (token_id, destination, due_at, message_types, content_type, body, correlation_id)
        SELECT ?::uuid, ?, ?::timestamptz, ?::text[], ?, ?, ?::uuid
        WHERE NOT EXISTS (SELECT 1 FROM {Schema}.scheduled_message_cancellations WHERE token_id = ?::uuid)
        ON CONFLICT (token_id) DO NOTHING
        """;

    private static object[] ScheduleParameters(ScheduledMessageRecord message) =>
    [
        message.TokenId, message.Destination.ToString(), message.DueAt.ToUniversalTime(), message.MessageTypes, message.ContentType,
        message.Body, (object?)message.CorrelationId ?? DBNull.Value, message.TokenId,
    ];

    // One statement (a batch's command takes one): the cancellation is remembered for a schedule that comes after it.
    private string CancelSql => $"""
        WITH remembered AS (
            INSERT INTO {Schema}.scheduled_message_cancellations (token_id) VALUES (?::uuid) ON CONFLICT (token_id) DO NOTHING)
        DELETE FROM {Schema}.scheduled_messages WHERE token_id = ?::uuid
        """;

    private static object[] CancelParameters(Guid tokenId) => [tokenId, tokenId];

    /// <summary>A command outside any session: the "?" placeholders become Npgsql's positional $1, $2, ….</summary>
    private NpgsqlCommand Direct(string sql, object[] parameters)
    {
        var position = 0;
        var command = dataSource.CreateCommand(string.Concat(sql.Select(c => c == '?' ? $"${++position}" : c.ToString())));
        foreach (var value in parameters) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }

    /// <summary>
    /// Claims up to <paramref name="batchSize"/> messages due at <paramref name="now"/> and hands each to
    /// <paramref name="deliver"/>. A delivered message is deleted; one that fails stays, with its error, and is tried again
    /// later (back-off doubling from 5 s); after <see cref="MaxAttempts"/> failures it is parked (due at the end of time)
    /// for an operator, so one bad message never holds up the others. A due message with a cancellation is deleted
    /// undelivered. Returns how many were settled (delivered, or dropped as cancelled): more may be due while it is above 0.
    /// </summary>
    public async Task<int> DeliverDueAsync(DateTimeOffset now, int batchSize,
        Func<ScheduledMessageRecord, CancellationToken, Task> deliver, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var due = new List<ScheduledMessageRecord>();
        var cancelled = new List<Guid>();
        // A schedule and its cancellation committed side by side can both stand (neither saw the other's row), so a
        // due message is checked against the cancellations once more here, when both are long committed.
        await using (var select = new NpgsqlCommand($"""
            SELECT {Columns},
                   EXISTS (SELECT 1 FROM {Schema}.scheduled_message_cancellations c WHERE c.token_id = m.token_id)
            FROM {Schema}.scheduled_messages m
            WHERE due_at <= @now
            ORDER BY due_at
            LIMIT @limit
            FOR UPDATE SKIP LOCKED
            """, connection, transaction))
        {
            select.Parameters.AddWithValue("now", now.ToUniversalTime());
            select.Parameters.AddWithValue("limit", batchSize);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var message = Read(reader);
                if (reader.GetBoolean(7)) cancelled.Add(message.TokenId);
                else due.Add(message);
            }
        }
        if (due.Count == 0 && cancelled.Count == 0) return 0;

        var outcomes = await Task.WhenAll(due.Select(async message =>
        {
            try
            {
                await deliver(message, cancellationToken);
                return (message.TokenId, Error: (string?)null);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                return (message.TokenId, Error: e.Message);
            }
        }));

        var delivered = outcomes.Where(o => o.Error is null).Select(o => o.TokenId).ToArray();
        await using (var delete = new NpgsqlCommand($"DELETE FROM {Schema}.scheduled_messages WHERE token_id = ANY(@tokens)", connection, transaction))
        {
            delete.Parameters.AddWithValue("tokens", delivered.Concat(cancelled).ToArray());
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var (tokenId, error) in outcomes.Where(o => o.Error is not null))
        {
            await using var failed = new NpgsqlCommand($"""
                UPDATE {Schema}.scheduled_messages
                SET attempts = attempts + 1, last_error = @error,
                    due_at = CASE WHEN attempts + 1 >= @max THEN 'infinity'::timestamptz
                                  ELSE @now + make_interval(secs => 5 * power(2, attempts)) END
                WHERE token_id = @token
                """, connection, transaction);
            failed.Parameters.AddWithValue("error", error!);
            failed.Parameters.AddWithValue("max", MaxAttempts);
            failed.Parameters.AddWithValue("now", now.ToUniversalTime());
            failed.Parameters.AddWithValue("token", tokenId);
            await failed.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return delivered.Length + cancelled.Count;
    }

    public const int MaxAttempts = 10;

    /// <summary>What is waiting, soonest first (operations and tests).</summary>
    public async Task<IReadOnlyList<ScheduledMessageRecord>> PendingAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM {Schema}.scheduled_messages ORDER BY due_at");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<ScheduledMessageRecord>();
        while (await reader.ReadAsync(cancellationToken))
            result.Add(Read(reader));
        return result;
    }

    private const string Columns = "token_id, destination, due_at, message_types, content_type, body, correlation_id";

    private static ScheduledMessageRecord Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), new Uri(reader.GetString(1)), reader.GetFieldValue<DateTimeOffset>(2),
        reader.GetFieldValue<string[]>(3), reader.GetString(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetGuid(6));
}

public sealed class SchedulerOptions
{
    public const string Section = "Scheduler";
    /// <summary>PostgreSQL schema of the scheduler's tables (shared by every service of one system).</summary>
    public string Schema { get; set; } = "messaging";
    /// <summary>Queue that receives ScheduleMessage / CancelScheduledMessage from every service.</summary>
    public string QueueName { get; set; } = "scheduler";
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);
    public int BatchSize { get; set; } = 100;
}
