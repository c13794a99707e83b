using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Freeze;
using AssetRecovery.Freeze.Workflow;
using AssetRecovery.IntegrationTests.Freeze;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.Messaging.Relay;
using AssetRecovery.ServiceDefaults;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace AssetRecovery.IntegrationTests.Messaging;

/// <summary>An event that can never be published is set aside; the events after it still reach their consumers.</summary>
[Collection(SystemCollection.Name)]
public sealed class RelayParkingTests(Infrastructure.Infrastructure infrastructure) : IAsyncLifetime
{
    private TestSystem _system = null!;
    private ServiceHost<FreezeService> _freeze = null!;

    public async Task InitializeAsync()
    {
        _system = await TestSystem.StartAsync(infrastructure);
        // A topology fault no retry mends: the event type's exchange exists with another type than MassTransit declares.
        await infrastructure.DeclareExchangeAsync(_system.VirtualHost, $"{typeof(FreezeBatchCompleted).Namespace}:{nameof(FreezeBatchCompleted)}", "direct");
        _freeze = _system.Start<FreezeService>("freeze", new Dictionary<string, string?> { ["EventStore:RelayPublishTimeout"] = "00:00:02" });
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();

    [Fact]
    public async Task An_event_that_keeps_failing_while_the_broker_is_up_is_parked_and_later_events_flow()
    {
        var store = _freeze.Services.GetRequiredService<IDocumentStore>();
        var batchId = Guid.NewGuid();
        var freezeId = Guid.NewGuid();
        Guid unpublishable;
        await using (var session = store.LightweightSession())
        {
            unpublishable = session.Events.StartStream(batchId, new FreezeBatchCompleted(batchId, 1, 0, DateTimeOffset.UtcNow)).Events.Single().Id;
            session.Events.StartStream<AssetRecovery.Freeze.Domain.Freeze>(freezeId, FreezeRequests.Event(freezeId, "parking"));
            await session.SaveChangesAsync();
        }

        await using var query = store.QuerySession();
        var parked = await Eventually.Until(() => query.LoadAsync<ParkedEvent>(unpublishable), p => p is not null,
            TimeSpan.FromSeconds(60), "the unpublishable event to be parked");
        Assert.Equal((batchId, "freeze_batch_completed"), (parked!.StreamId, parked.EventType));
        Assert.True(parked.Attempts >= EventRelaySubscription.ParkAfterAttempts);
        Assert.False(string.IsNullOrWhiteSpace(parked.Error));

        // The event committed with it went on to the saga; nothing else was parked.
        await Eventually.Until(async () => (await query.LoadAsync<FreezeSagaState>(freezeId))?.CurrentState,
            s => s == "AwaitingBankExecution", what: "the freeze saga");
        Assert.Equal(1, await query.Query<ParkedEvent>().CountAsync());
    }
}
