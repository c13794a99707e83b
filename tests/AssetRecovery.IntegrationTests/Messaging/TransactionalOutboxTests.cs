using AssetRecovery.Clients.VictimClaim;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Freeze;
using AssetRecovery.Freeze.Workflow;
using AssetRecovery.IntegrationTests.Freeze;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.Messaging.Idempotency;
using AssetRecovery.ServiceDefaults;
using AssetRecovery.VictimClaim;
using Marten;
using MassTransit;
using MassTransit.Context;
using MassTransit.Serialization;
using Microsoft.Extensions.DependencyInjection;

namespace AssetRecovery.IntegrationTests.Messaging;

/// <summary>What a consumer or saga sends is committed with its state and leaves only after that commit.</summary>
[Collection(SystemCollection.Name)]
public sealed class TransactionalOutboxTests(Infrastructure.Infrastructure infrastructure) : IAsyncLifetime
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
    public async Task A_sagas_deadline_is_committed_with_its_state_then_delivered_and_the_outbox_emptied()
    {
        var freezeId = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        await _freeze.Services.GetRequiredService<IBus>().Publish(Requested(freezeId), c => c.MessageId = messageId);

        await Eventually.Until(() => SagaState(freezeId), s => s == "AwaitingBankExecution", what: "the saga");
        // The deadline the saga scheduled went out through the outbox and reached the scheduler's store.
        await Eventually.Until(() => _system.ScalarAsync<long>(
                $"SELECT count(*) FROM {_system.SchedulerSchema}.scheduled_messages WHERE body LIKE @id", ("id", $"%{freezeId}%")),
            n => n == 1, what: "the scheduled deadline");
        await using var session = _freeze.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var inbox = await Eventually.Until(
            async () => await session.Query<ProcessedMessage>().Where(m => m.Id.EndsWith($"/{messageId:N}")).ToListAsync(),
            records => records.Count == 1 && records[0].OutboxDeliveredAt is not null, what: "the inbox record marked delivered");
        Assert.Equal(0, await session.Query<OutboxMessage>().CountAsync(m => m.InboxKey == inbox[0].Id));
    }

    [Fact]
    public async Task A_committed_but_undelivered_outbox_goes_out_when_its_message_comes_again_and_the_consumer_does_not_run_twice()
    {
        var bus = _victimClaim.Services.GetRequiredService<IBus>();
        var api = _victimClaim.Client<IVictimClaimApi>(Roles.Investigator);

        // Find the endpoint of victim-claim's case consumer from one ordinary message.
        var probe = Executed(FreezeRequests.NewCaseNumber(), 1m);
        var probeId = Guid.NewGuid();
        await bus.Publish(probe, c => c.MessageId = probeId);
        await Eventually.Until(async () => (await api.GetCaseInterceptionAsync(probe.CaseNumber)).Content, i => i is not null, what: "the probe");
        var store = _victimClaim.Services.GetRequiredService<IDocumentStore>();
        string endpoint;
        await using (var query = store.QuerySession())
            endpoint = (await query.Query<ProcessedMessage>().SingleAsync(m => m.Id.EndsWith($"/{probeId:N}"))).Id[..^33];

        // The state a crash leaves between the commit and the send: message `handled` processed, its outbox (a message
        // about another case) committed and not yet sent.
        var handled = Executed(FreezeRequests.NewCaseNumber(), 50m);
        var handledId = Guid.NewGuid();
        var pending = Executed(FreezeRequests.NewCaseNumber(), 75.25m);
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

    private static FreezeRequested Requested(Guid freezeId) => new(freezeId, FreezeRequests.NewCaseNumber(), FreezeKind.Freeze, "ICBC",
        "6222020200112233445", "Zhang San", "CNY", 100m, "DOC-1", "outbox", DateTimeOffset.UtcNow.AddHours(1),
        new Actor("t", "t", Roles.BankLiaison), DateTimeOffset.UtcNow);

    private static FreezeExecutedByBank Executed(string caseNumber, decimal amount) => new(Guid.NewGuid(), caseNumber,
        BankExecutionOutcome.FrozenInFull, new Money(amount, "CNY"), null, DateTimeOffset.UtcNow, null, new Actor("t", "t", Roles.BankLiaison),
        DateTimeOffset.UtcNow);

    private async Task<string?> SagaState(Guid freezeId)
    {
        await using var session = _freeze.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.LoadAsync<FreezeSagaState>(freezeId))?.CurrentState;
    }
}
