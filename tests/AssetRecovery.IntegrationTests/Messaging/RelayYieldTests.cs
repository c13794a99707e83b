using AssetRecovery.Freeze;
using AssetRecovery.Freeze.Workflow;
using AssetRecovery.IntegrationTests.Freeze;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.Messaging.Relay;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace AssetRecovery.IntegrationTests.Messaging;

/// <summary>While the service does work a caller waits for, its relay holds events back, but never longer than its limit.</summary>
[Collection(SystemCollection.Name)]
public sealed class RelayYieldTests(Infrastructure.Infrastructure infrastructure) : IAsyncLifetime
{
    private TestSystem _system = null!;

    public async Task InitializeAsync() => _system = await TestSystem.StartAsync(infrastructure);

    public async Task DisposeAsync() => await _system.DisposeAsync();

    [Fact]
    public async Task Events_committed_while_the_relay_is_held_reach_the_saga_once_the_work_ends()
    {
        var freeze = _system.Start<FreezeService>("freeze", new Dictionary<string, string?> { ["EventStore:RelayMaxYield"] = "00:05:00" });
        var store = freeze.Services.GetRequiredService<IDocumentStore>();
        var hold = freeze.Services.GetRequiredService<RelayYield>().Begin();
        var freezeId = await RequestAsync(store, "held");

        // Long enough for a relay that did not wait to have delivered it (the saga takes it within a second here).
        await Task.Delay(TimeSpan.FromSeconds(4));
        await using var query = store.QuerySession();
        Assert.Null(await query.LoadAsync<FreezeSagaState>(freezeId));

        hold.Dispose();
        await Eventually.Until(async () => (await query.LoadAsync<FreezeSagaState>(freezeId))?.CurrentState,
            s => s == "AwaitingBankExecution", what: "the freeze saga after the hold ended");
    }

    [Fact]
    public async Task A_hold_that_outlasts_the_limit_does_not_stop_the_relay()
    {
        var freeze = _system.Start<FreezeService>("freeze", new Dictionary<string, string?> { ["EventStore:RelayMaxYield"] = "00:00:01" });
        var store = freeze.Services.GetRequiredService<IDocumentStore>();
        using var neverEnds = freeze.Services.GetRequiredService<RelayYield>().Begin();
        var freezeId = await RequestAsync(store, "outlasted");

        await using var query = store.QuerySession();
        await Eventually.Until(async () => (await query.LoadAsync<FreezeSagaState>(freezeId))?.CurrentState,
            s => s == "AwaitingBankExecution", what: "the freeze saga while the hold lasts");
    }

    private static async Task<Guid> RequestAsync(IDocumentStore store, string reason)
    {
        var freezeId = Guid.NewGuid();
        await using var session = store.LightweightSession();
        session.Events.StartStream<AssetRecovery.Freeze.Domain.Freeze>(freezeId, FreezeRequests.Event(freezeId, reason));
        await session.SaveChangesAsync();
        return freezeId;
    }
}
