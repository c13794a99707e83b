using AssetRecovery.Clients.Freeze;
using AssetRecovery.Clients.VictimClaim;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Freeze;
using AssetRecovery.Freeze.Workflow;
using AssetRecovery.IntegrationTests.Freeze;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.Messaging.Scheduling;
using AssetRecovery.ServiceDefaults;
using AssetRecovery.VictimClaim;
using Marten;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace AssetRecovery.IntegrationTests.Messaging;

/// <summary>The building blocks that stand in for MassTransit.Marten and Quartz, each against the live servers.</summary>
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
        var requested = new FreezeRequested(freezeId, FreezeRequests.NewCaseNumber(), FreezeKind.Freeze, "ICBC", "6222020200112233445",
            "Zhang San", "CNY", 100m, "DOC-1", "race", DateTimeOffset.UtcNow.AddHours(1), new Actor("t", "t", Roles.BankLiaison), DateTimeOffset.UtcNow);

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
            var action = session.Events.StartStream<AssetRecovery.Freeze.Domain.Freeze>(freezeId, new FreezeRequested(freezeId,
                FreezeRequests.NewCaseNumber(), FreezeKind.StopPayment, "ICBC", "6222020200112233445", "Zhang San", "CNY", null, "DOC-2",
                "relay", DateTimeOffset.UtcNow.AddHours(1), new Actor("t", "t", Roles.Investigator), DateTimeOffset.UtcNow));
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

        await scheduler.SchedulePublish(dueAt, Executed(deliveredCase, 10m));
        var toCancel = await scheduler.SchedulePublish(dueAt, Executed(cancelledCase, 20m));
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

    private static FreezeExecutedByBank Executed(string caseNumber, decimal amount) => new(Guid.NewGuid(), caseNumber,
        BankExecutionOutcome.FrozenInFull, new Money(amount, "CNY"), null, DateTimeOffset.UtcNow, null, new Actor("t", "t", Roles.BankLiaison),
        DateTimeOffset.UtcNow);

    [Fact]
    public async Task Competing_dispatchers_deliver_each_message_once_and_a_bad_one_holds_up_nothing()
    {
        await using var dataSource = infrastructure.CreateDataSource();
        var options = new SchedulerOptions { Schema = $"{_system.Id}_dispatch" };
        var store = new ScheduledMessageStore(dataSource, options);
        await store.EnsureSchemaAsync(CancellationToken.None);
        var due = DateTimeOffset.UtcNow.AddMinutes(-1);
        var tokens = Enumerable.Range(0, 200).Select(_ => Guid.NewGuid()).ToList();
        foreach (var token in tokens)
            await store.ScheduleAsync(new ScheduledMessageRecord(token, new Uri("queue:nowhere"), due, ["urn:message:X:Y"], "application/json", "{}", null), default);

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

    [Fact]
    public async Task A_duplicated_message_has_one_effect()
    {
        var bus = _victimClaim.Services.GetRequiredService<IBus>();
        var caseNumber = FreezeRequests.NewCaseNumber();
        var executed = Executed(caseNumber, 120.50m);
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
}
