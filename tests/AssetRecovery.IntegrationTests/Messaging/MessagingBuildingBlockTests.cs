using System.Diagnostics.Metrics;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Clients.VictimClaim;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Freeze;
using AssetRecovery.Freeze.Workflow;
using AssetRecovery.IntegrationTests.Freeze;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.Messaging.Idempotency;
using AssetRecovery.Messaging.Scheduling;
using AssetRecovery.ServiceDefaults;
using AssetRecovery.VictimClaim;
using Marten;
using MassTransit;
using MassTransit.Context;
using MassTransit.Serialization;
using Microsoft.Extensions.DependencyInjection;

namespace AssetRecovery.IntegrationTests.Messaging;

/// <summary>
/// The building blocks that stand in for MassTransit.Marten, its outbox and Quartz, each against the live servers. What a consumer or
/// saga sends is committed with its state and leaves only after that commit.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class MessagingBuildingBlockTests(Infrastructure.Infrastructure infrastructure) : IAsyncLifetime
{
    private TestSystem _system = null!;
    private ServiceHost<FreezeService> _freeze = null!;
    private ServiceHost<VictimClaimService> _victimClaim = null!;

    public async Task InitializeAsync()
    {
        _system = await TestSystem.StartAsync(infrastructure);
        _freeze = _system.Start<FreezeService>("freeze");
        _victimClaim = _system.Start<VictimClaimService>("victim-claim");
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();

    [Fact]
    public async Task Saga_documents_use_optimistic_concurrency()
    {
        var store = _freeze.Services.GetRequiredService<IDocumentStore>();
        var id = Guid.NewGuid();
        await using (var session = store.LightweightSession())
        {
            session.Insert(new FreezeSagaState { CorrelationId = id, CurrentState = "AwaitingBankExecution" });
            await session.SaveChangesAsync();
        }

        await using var first = store.LightweightSession();
        await using var second = store.LightweightSession();
        var one = (await first.LoadAsync<FreezeSagaState>(id))!;
        var two = (await second.LoadAsync<FreezeSagaState>(id))!;
        one.CurrentState = "Frozen";
        first.Update(one);
        await first.SaveChangesAsync();
        two.CurrentState = "Rejected";
        second.Update(two);

        await Assert.ThrowsAsync<JasperFx.ConcurrencyException>(() => second.SaveChangesAsync());
        await using var check = store.QuerySession();
        Assert.Equal("Frozen", (await check.LoadAsync<FreezeSagaState>(id))!.CurrentState);
    }

    [Fact]
    public async Task Racing_messages_create_one_saga_and_schedule_one_deadline()
    {
        var bus = _freeze.Services.GetRequiredService<IBus>();
        var freezeId = Guid.NewGuid();
        var requested = FreezeRequests.Event(freezeId, "race");

        // Twenty copies with distinct message ids: the inbox cannot drop them, the saga repository must cope.
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => bus.Publish(requested)));

        await Eventually.Until(() => SagaState(freezeId), s => s == "AwaitingBankExecution", what: "the saga");
        await Task.Delay(1500); // let every copy be consumed or retried
        Assert.Equal(1L, await _system.ScalarAsync<long>(
            $"SELECT count(*) FROM {_system.SchedulerSchema}.scheduled_messages WHERE body LIKE @id", ("id", $"%{freezeId}%")));
        Assert.Equal(0L, await ErrorQueueMessages());
    }

    [Fact]
    public async Task Committed_events_are_relayed_with_the_event_id_as_message_id()
    {
        var store = _freeze.Services.GetRequiredService<IDocumentStore>();
        var freezeId = Guid.NewGuid();
        Guid eventId;
        await using (var session = store.LightweightSession())
        {
            var action = session.Events.StartStream<AssetRecovery.Freeze.Domain.Freeze>(freezeId,
                FreezeRequests.Event(freezeId, "relay", FreezeKind.StopPayment));
            await session.SaveChangesAsync();
            eventId = action.Events.Single().Id;
        }

        await Eventually.Until(() => SagaState(freezeId), s => s == "AwaitingBankExecution", what: "the relayed event to reach the saga");
        // The saga endpoint's inbox holds the message id it processed: the event's own id.
        var inboxKeys = await _system.ScalarAsync<long>(
            $"SELECT count(*) FROM {_system.DocumentsSchema("freeze")}.mt_doc_processedmessage WHERE id LIKE @key",
            ("key", $"%/{eventId:N}"));
        Assert.Equal(1L, inboxKeys);
    }

    [Fact]
    public async Task A_scheduled_message_is_delivered_when_due_and_a_cancelled_one_never()
    {
        var deliveredCase = FreezeRequests.NewCaseNumber();
        var cancelledCase = FreezeRequests.NewCaseNumber();
        using var scope = _freeze.Services.CreateScope();
        var scheduler = scope.ServiceProvider.GetRequiredService<IMessageScheduler>();
        var dueAt = DateTime.UtcNow.AddSeconds(4); // room for the cancellation to arrive first on a busy machine

        await scheduler.SchedulePublish(dueAt, FreezeRequests.Executed(deliveredCase, 10m));
        var toCancel = await scheduler.SchedulePublish(dueAt, FreezeRequests.Executed(cancelledCase, 20m));
        await scheduler.CancelScheduledPublish<FreezeExecutedByBank>(toCancel.TokenId);

        var api = _victimClaim.Client<IVictimClaimApi>(Roles.Investigator);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await api.GetCaseInterceptionAsync(deliveredCase)).StatusCode); // not before its time
        var delivered = await Eventually.Until(async () => (await api.GetCaseInterceptionAsync(deliveredCase)).Content,
            i => i is not null, what: "the scheduled message");
        Assert.True(DateTime.UtcNow >= dueAt.AddMilliseconds(-50));
        Assert.Equal(10m, delivered!.Frozen.Single().Amount);

        await Task.Delay(1500);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await api.GetCaseInterceptionAsync(cancelledCase)).StatusCode);
        Assert.Equal(1L, await _system.ScalarAsync<long>(
            $"SELECT count(*) FROM {_system.SchedulerSchema}.scheduled_message_cancellations WHERE token_id = @t", ("t", toCancel.TokenId)));
        Assert.Empty(await new ScheduledMessageStore(infrastructure.CreateDataSource(), new SchedulerOptions { Schema = _system.SchedulerSchema })
            .PendingAsync(default));
    }

    [Fact]
    public async Task A_schedule_and_its_cancellation_committed_side_by_side_are_never_delivered()
    {
        await using var dataSource = infrastructure.CreateDataSource();
        var schema = $"{_system.Id}_cancel_race";
        var (cancelled, kept) = (Guid.NewGuid(), Guid.NewGuid());
        var store = await StoreWithDueMessagesAsync(dataSource, schema, [cancelled, kept]);
        // Both rows stand, as when each transaction checked before the other committed: the cancellation found no
        // schedule to delete, and the schedule found no cancellation.
        await using (var remember = dataSource.CreateCommand($"INSERT INTO {schema}.scheduled_message_cancellations (token_id) VALUES ($1)"))
        {
            remember.Parameters.Add(new Npgsql.NpgsqlParameter { Value = cancelled });
            await remember.ExecuteNonQueryAsync();
        }

        var deliveries = new List<Guid>();
        Assert.Equal(2, await store.DeliverDueAsync(DateTimeOffset.UtcNow, 10, (message, _) =>
        {
            deliveries.Add(message.TokenId);
            return Task.CompletedTask;
        }, default));
        Assert.Equal([kept], deliveries);
        Assert.Empty(await store.PendingAsync(default));
    }

    [Fact]
    public async Task Competing_dispatchers_deliver_each_message_once_and_a_bad_one_holds_up_nothing()
    {
        await using var dataSource = infrastructure.CreateDataSource();
        var tokens = Enumerable.Range(0, 200).Select(_ => Guid.NewGuid()).ToList();
        var store = await StoreWithDueMessagesAsync(dataSource, $"{_system.Id}_dispatch", tokens);

        var poisoned = tokens[17];
        var deliveries = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        async Task Dispatcher()
        {
            while (await store.DeliverDueAsync(DateTimeOffset.UtcNow, 7, async (message, _) =>
                   {
                       await Task.Delay(1);
                       if (message.TokenId == poisoned) throw new InvalidOperationException("no such destination");
                       deliveries.Add(message.TokenId);
                   }, default) > 0) { }
        }
        await Task.WhenAll(Dispatcher(), Dispatcher(), Dispatcher());

        // Every other message once, whatever the bad one does; the bad one waits for a later attempt with its error.
        Assert.Equal(tokens.Where(t => t != poisoned).OrderBy(t => t), deliveries.OrderBy(t => t));
        var left = Assert.Single(await store.PendingAsync(default));
        Assert.Equal(poisoned, left.TokenId);
        Assert.True(left.DueAt > DateTimeOffset.UtcNow);
    }

    /// <summary>A scheduler store in a schema of its own, holding one message already due (to nowhere) per token.</summary>
    private static async Task<ScheduledMessageStore> StoreWithDueMessagesAsync(Npgsql.NpgsqlDataSource dataSource, string schema, IEnumerable<Guid> tokens)
    {
        var store = new ScheduledMessageStore(dataSource, new SchedulerOptions { Schema = schema });
        await store.EnsureSchemaAsync(CancellationToken.None);
        var due = DateTimeOffset.UtcNow.AddMinutes(-1);
        foreach (var token in tokens)
            await store.ScheduleAsync(new ScheduledMessageRecord(token, new Uri("queue:nowhere"), due, ["urn:message:X:Y"], "application/json", "{}", null), default);
        return store;
    }

    [Fact]
    public async Task Executions_and_releases_of_many_freezes_published_together_all_count()
    {
        // Each freeze's figures are its own document, built from its events in whatever order they come; the case's
        // totals are summed from them. A release racing its execution on the same document must not lose it.
        var bus = _victimClaim.Services.GetRequiredService<IBus>();
        var caseNumber = FreezeRequests.NewCaseNumber();
        var executions = Enumerable.Range(1, 100).Select(i => FreezeRequests.Executed(caseNumber, i)).ToList();
        await Task.WhenAll(executions.SelectMany(executed => new[]
        {
            bus.Publish(new FreezeReleased(executed.FreezeId, caseNumber, new Money(0.50m, "CNY"),
                new Money(executed.FrozenAmount.Amount - 0.50m, "CNY"), false, "race", "REL", executed.RecordedBy, DateTimeOffset.UtcNow)),
            bus.Publish(executed),
        }));

        var api = _victimClaim.Client<IVictimClaimApi>(Roles.Investigator);
        var interception = await Eventually.Until(async () => (await api.GetCaseInterceptionAsync(caseNumber)).Content,
            i => i?.AccountsFrozen == 100, what: "all hundred executions");
        Assert.Equal(5050m, interception!.Frozen.Single().Amount); // 1 + 2 + … + 100
    }

    [Fact]
    public async Task A_duplicated_message_has_one_effect()
    {
        var bus = _victimClaim.Services.GetRequiredService<IBus>();
        var caseNumber = FreezeRequests.NewCaseNumber();
        var executed = FreezeRequests.Executed(caseNumber, 120.50m);
        var messageId = Guid.NewGuid();

        await bus.Publish(executed, c => c.MessageId = messageId);
        await bus.Publish(executed, c => c.MessageId = messageId);
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => bus.Publish(executed, c => c.MessageId = messageId)));
        // A different message id is a different event: counted.
        var other = executed with { FreezeId = Guid.NewGuid(), FrozenAmount = new Money(9.50m, "CNY") };
        await bus.Publish(other, c => c.MessageId = Guid.NewGuid());

        var api = _victimClaim.Client<IVictimClaimApi>(Roles.Investigator);
        var interception = await Eventually.Until(async () => (await api.GetCaseInterceptionAsync(caseNumber)).Content,
            i => i?.AccountsFrozen >= 2, what: "both distinct events");
        await Task.Delay(1500); // give any duplicate time to (wrongly) land
        interception = (await api.GetCaseInterceptionAsync(caseNumber)).Content!;
        Assert.Equal(2, interception.AccountsFrozen);
        Assert.Equal(130.00m, interception.Frozen.Single().Amount);
        // A dropped duplicate counts as consumed: nothing was moved to a _skipped queue (which exists only once used).
        Assert.DoesNotContain(await QueueNames(), q => q.EndsWith("_skipped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Saga_endpoints_check_the_inbox_at_commit_and_consumer_endpoints_before_handling()
    {
        var policy = _freeze.Services.GetRequiredService<InboxCheckPolicy>();
        var queues = await QueueNames();
        // The name the policy works out is the saga's queue as the bus declared it.
        Assert.Equal("freeze-freeze-saga-state", Assert.Single(policy.EndpointsCheckedAtCommit));
        Assert.Contains("freeze-freeze-saga-state", queues);
        Assert.True(policy.ChecksAtCommit(new Uri("rabbitmq://localhost/vhost/freeze-freeze-saga-state")));
        // A consumer that commits on its own (the bulk batch's rows) keeps the check first.
        Assert.Contains("freeze-process-freeze-batch", queues);
        Assert.False(policy.ChecksAtCommit(new Uri("rabbitmq://localhost/vhost/freeze-process-freeze-batch")));
        Assert.Empty(_victimClaim.Services.GetRequiredService<InboxCheckPolicy>().EndpointsCheckedAtCommit);
    }

    [Fact]
    public async Task A_duplicated_message_to_a_saga_found_at_commit_has_one_effect()
    {
        var bus = _freeze.Services.GetRequiredService<IBus>();
        var consumed = new ConsumedCopies();
        using var observing = bus.ConnectConsumeObserver(consumed);
        using var copiesFound = new CopiesFound($"/{_system.VirtualHost}/freeze-freeze-saga-state");
        var freezeId = Guid.NewGuid();
        var requested = FreezeRequests.Event(freezeId, "duplicate");
        var messageId = Guid.NewGuid();

        await bus.Publish(requested, c => c.MessageId = messageId);
        await Eventually.Until(() => SagaState(freezeId), s => s == "AwaitingBankExecution", what: "the saga");
        // Copies after it and copies racing each other: each runs the saga and fails to commit its inbox record (or the
        // saga's version), then finds the record of the one that did.
        await bus.Publish(requested, c => c.MessageId = messageId);
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => bus.Publish(requested, c => c.MessageId = messageId)));
        var racingId = Guid.NewGuid();
        var racing = FreezeRequests.Event(Guid.NewGuid(), "racing copies");
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => bus.Publish(racing, c => c.MessageId = racingId)));
        // Each copy counts as consumed once it is dropped; one that kept failing would be retried, then fail for good.
        await Eventually.Until(() => Task.FromResult((consumed.Of(messageId), consumed.Of(racingId))), n => n == (7, 5),
            what: "every copy consumed");

        // Six copies of the first message and four of the racing one, each found once its commit failed, none looked up first.
        Assert.Equal(Enumerable.Repeat("after_failure", 10), copiesFound.Found);
        Assert.Equal("AwaitingBankExecution", await SagaState(racing.FreezeId));
        foreach (var (id, copyOf) in new[] { (freezeId, messageId), (racing.FreezeId, racingId) })
        {
            Assert.Equal(1L, await _system.ScalarAsync<long>(
                $"SELECT count(*) FROM {_system.SchedulerSchema}.scheduled_messages WHERE body LIKE @id", ("id", $"%{id}%")));
            await using var session = _freeze.Services.GetRequiredService<IDocumentStore>().QuerySession();
            Assert.Single(await session.Query<ProcessedMessage>().Where(m => m.Id.EndsWith($"/{copyOf:N}")).ToListAsync());
        }
        // None was moved to a _skipped queue or failed into an _error queue (each exists once used).
        Assert.DoesNotContain(await QueueNames(), q => q.EndsWith("_skipped", StringComparison.Ordinal) || q.EndsWith("_error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sagas_committed_but_undelivered_outbox_goes_out_when_its_message_comes_again()
    {
        var bus = _freeze.Services.GetRequiredService<IBus>();
        var store = _freeze.Services.GetRequiredService<IDocumentStore>();
        var freezeId = Guid.NewGuid();
        var requested = FreezeRequests.Event(freezeId, "undelivered outbox");
        var messageId = Guid.NewGuid();
        await bus.Publish(requested, c => c.MessageId = messageId);
        await Eventually.Until(() => SagaState(freezeId), s => s == "AwaitingBankExecution", what: "the saga");

        // The state a crash leaves between the commit and the send: the request handled by the saga, its outbox (a bank's
        // execution for victim-claim, about another case) committed and not yet sent.
        var pending = FreezeRequests.Executed(FreezeRequests.NewCaseNumber(), 75.25m);
        string inboxKey;
        await using (var session = store.LightweightSession())
        {
            var record = await session.Query<ProcessedMessage>().SingleAsync(m => m.Id.EndsWith($"/{messageId:N}"));
            inboxKey = record.Id;
            session.Update(record with { OutboxDeliveredAt = null });
            session.Insert(OutboxMessage.Capture(SendContextFor(pending, new Uri("queue:victim-claim-case-interception")),
                SystemTextJsonMessageSerializer.Instance, inboxKey, 1));
            await session.SaveChangesAsync();
        }

        using var copiesFound = new CopiesFound($"/{_system.VirtualHost}/freeze-freeze-saga-state");
        await bus.Publish(requested, c => c.MessageId = messageId); // the redelivery: the saga runs, its commit fails, the record is found

        var api = _victimClaim.Client<IVictimClaimApi>(Roles.Investigator);
        var delivered = await Eventually.Until(async () => (await api.GetCaseInterceptionAsync(pending.CaseNumber)).Content,
            i => i is not null, what: "the outbox message");
        Assert.Equal(75.25m, delivered!.Frozen.Single().Amount);
        await using var query = store.QuerySession();
        await Eventually.Until(() => query.LoadAsync<ProcessedMessage>(inboxKey), r => r?.OutboxDeliveredAt is not null,
            what: "the outbox marked delivered");
        Assert.Equal(0, await query.Query<OutboxMessage>().CountAsync(m => m.InboxKey == inboxKey));
        Assert.Equal(["after_failure"], copiesFound.Found);
    }

    /// <summary>When the inbox found each delivery of a message already handled, on one endpoint (its path names the virtual host).</summary>
    private sealed class CopiesFound : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _found = new();

        public CopiesFound(string endpointPath)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == InboxMetrics.MeterName) listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
            {
                var tagged = tags.ToArray().ToDictionary(t => t.Key, t => t.Value as string);
                if (tagged["endpoint"] == endpointPath) _found.Enqueue(tagged["found"]!);
            });
            _listener.Start();
        }

        public IReadOnlyList<string> Found => _found.ToArray();

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>How many times each message id was consumed: its pipe completed (a dropped copy too) rather than failed.</summary>
    private sealed class ConsumedCopies : IConsumeObserver
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, int> _consumed = new();

        public int Of(Guid messageId) => _consumed.GetValueOrDefault(messageId);

        public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

        public Task PostConsume<T>(ConsumeContext<T> context) where T : class
        {
            if (context.MessageId is { } id) _consumed.AddOrUpdate(id, 1, (_, n) => n + 1);
            return Task.CompletedTask;
        }

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }

    [Fact]
    public async Task A_sagas_deadline_is_committed_in_the_same_transaction_as_its_state_and_inbox_record()
    {
        var freezeId = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        await _freeze.Services.GetRequiredService<IBus>().Publish(FreezeRequests.Event(freezeId, "outbox"), c => c.MessageId = messageId);

        await Eventually.Until(() => SagaState(freezeId), s => s == "AwaitingBankExecution", what: "the saga");
        // One transaction: the deadline's row (scheduled_at is now()) and the saga's document (mt_last_modified is
        // transaction_timestamp()) carry the same instant. Through the outbox and the scheduler queue they could not.
        Assert.Equal(1L, await _system.ScalarAsync<long>(
            $"SELECT count(*) FROM {_system.SchedulerSchema}.scheduled_messages m " +
            $"JOIN {_system.DocumentsSchema("freeze")}.mt_doc_freezesagastate s ON s.id = @saga " +
            "WHERE m.body LIKE @id AND m.scheduled_at = s.mt_last_modified", ("saga", freezeId), ("id", $"%{freezeId}%")));
        await using var session = _freeze.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var inbox = Assert.Single(await session.Query<ProcessedMessage>().Where(m => m.Id.EndsWith($"/{messageId:N}")).ToListAsync());
        // Nothing was left to send after the commit.
        Assert.Equal(inbox.ProcessedAt, inbox.OutboxDeliveredAt);
        Assert.Equal(0, await session.Query<OutboxMessage>().CountAsync(m => m.InboxKey == inbox.Id));
    }

    [Fact]
    public async Task A_committed_but_undelivered_outbox_goes_out_when_its_message_comes_again_and_the_consumer_does_not_run_twice()
    {
        var bus = _victimClaim.Services.GetRequiredService<IBus>();
        var api = _victimClaim.Client<IVictimClaimApi>(Roles.Investigator);

        // Find the endpoint of victim-claim's case consumer from one ordinary message.
        var probe = FreezeRequests.Executed(FreezeRequests.NewCaseNumber(), 1m);
        var probeId = Guid.NewGuid();
        await bus.Publish(probe, c => c.MessageId = probeId);
        await Eventually.Until(async () => (await api.GetCaseInterceptionAsync(probe.CaseNumber)).Content, i => i is not null, what: "the probe");
        var store = _victimClaim.Services.GetRequiredService<IDocumentStore>();
        string endpoint;
        await using (var query = store.QuerySession())
            endpoint = (await query.Query<ProcessedMessage>().SingleAsync(m => m.Id.EndsWith($"/{probeId:N}"))).Id[..^33];

        // The state a crash leaves between the commit and the send: message `handled` processed, its outbox (a message
        // about another case) committed and not yet sent.
        var handled = FreezeRequests.Executed(FreezeRequests.NewCaseNumber(), 50m);
        var handledId = Guid.NewGuid();
        var pending = FreezeRequests.Executed(FreezeRequests.NewCaseNumber(), 75.25m);
        var inboxKey = $"{endpoint}/{handledId:N}";
        await using (var session = store.LightweightSession())
        {
            session.Insert(new ProcessedMessage(inboxKey, typeof(FreezeExecutedByBank).FullName!, DateTimeOffset.UtcNow));
            session.Insert(OutboxMessage.Capture(SendContextFor(pending, new Uri($"queue:{endpoint.Split('/')[^1]}")),
                SystemTextJsonMessageSerializer.Instance, inboxKey, 1));
            await session.SaveChangesAsync();
        }

        await bus.Publish(handled, c => c.MessageId = handledId); // the redelivery

        var delivered = await Eventually.Until(async () => (await api.GetCaseInterceptionAsync(pending.CaseNumber)).Content,
            i => i is not null, what: "the outbox message");
        Assert.Equal(75.25m, delivered!.Frozen.Single().Amount);
        await using (var query = store.QuerySession())
        {
            var record = await Eventually.Until(() => query.LoadAsync<ProcessedMessage>(inboxKey), r => r?.OutboxDeliveredAt is not null,
                what: "the outbox marked delivered");
            Assert.NotNull(record);
            Assert.Equal(0, await query.Query<OutboxMessage>().CountAsync(m => m.InboxKey == inboxKey));
        }
        // The redelivered message itself was handled already: the consumer did not run again.
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await api.GetCaseInterceptionAsync(handled.CaseNumber)).StatusCode);

        // A further copy changes nothing: the outbox is not sent twice.
        await bus.Publish(handled, c => c.MessageId = handledId);
        await Task.Delay(1500);
        Assert.DoesNotContain(await QueueNames(), q => q.EndsWith("_skipped", StringComparison.Ordinal));
        Assert.Equal(75.25m, (await api.GetCaseInterceptionAsync(pending.CaseNumber)).Content!.Frozen.Single().Amount);
    }

    private static MessageSendContext<T> SendContextFor<T>(T message, Uri destination) where T : class
    {
        var send = new MessageSendContext<T>(message)
        {
            DestinationAddress = destination,
            Serializer = SystemTextJsonMessageSerializer.Instance,
        };
        send.MessageId = Guid.NewGuid();
        send.ContentType = SystemTextJsonMessageSerializer.JsonContentType;
        return send;
    }

    private async Task<string?> SagaState(Guid freezeId)
    {
        await using var session = _freeze.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.LoadAsync<FreezeSagaState>(freezeId))?.CurrentState;
    }

    private async Task<long> ErrorQueueMessages()
    {
        var queues = System.Text.Json.JsonDocument.Parse(await infrastructure.QueuesAsync(_system.VirtualHost));
        return queues.RootElement.EnumerateArray()
            .Where(q => q.GetProperty("name").GetString()!.EndsWith("_error", StringComparison.Ordinal))
            .Sum(q => q.TryGetProperty("messages", out var m) ? m.GetInt64() : 0);
    }

    private async Task<List<string>> QueueNames() =>
        System.Text.Json.JsonDocument.Parse(await infrastructure.QueuesAsync(_system.VirtualHost)).RootElement.EnumerateArray()
            .Select(q => q.GetProperty("name").GetString()!).ToList();
}
