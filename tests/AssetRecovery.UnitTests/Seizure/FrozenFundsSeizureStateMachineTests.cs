using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Contracts.Seizure;
using AssetRecovery.Seizure.Workflow.SeizureOfFrozenFunds;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AssetRecovery.UnitTests.Seizure;

/// <summary>The seizure saga on MassTransit's in-memory test harness (the live-bus behaviour is in the integration tests).</summary>
public sealed class FrozenFundsSeizureStateMachineTests : IAsyncLifetime
{
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;
    private ISagaStateMachineTestHarness<FrozenFundsSeizureStateMachine, FrozenFundsSeizureState> _saga = null!;
    private static readonly Actor Investigator = new("inspector-wu", "Inspector Wu", "Investigator");
    private static readonly DateTimeOffset Now = new(2026, 3, 15, 9, 30, 0, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        _provider = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .Configure<SeizureWorkflowOptions>(o => o.HandOverAnswerTimeout = TimeSpan.FromSeconds(1.5))
            .AddMassTransitTestHarness(x =>
            {
                x.AddDelayedMessageScheduler();
                x.AddSagaStateMachine<FrozenFundsSeizureStateMachine, FrozenFundsSeizureState>().InMemoryRepository();
                x.UsingInMemory((context, cfg) =>
                {
                    cfg.UseDelayedMessageScheduler();
                    cfg.ConfigureEndpoints(context);
                });
            })
            .BuildServiceProvider(true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
        _saga = _harness.GetSagaStateMachineHarness<FrozenFundsSeizureStateMachine, FrozenFundsSeizureState>();
    }

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    private static FrozenFundsSeizureRequested Requested(Guid seizureId, Guid freezeId) =>
        new(seizureId, "SZ-2026-0001", freezeId, new Money(4_000.01m, "CNY"), "SZPD-SZ-1", "court seizure order", Investigator, Now);

    [Fact]
    public async Task A_request_asks_the_freeze_service_to_hand_over_exactly_that_amount_and_the_custody_completes_it()
    {
        var (seizureId, freezeId) = (Guid.NewGuid(), Guid.NewGuid());
        await _harness.Bus.Publish(Requested(seizureId, freezeId));

        Assert.NotNull(await _saga.Exists(seizureId, m => m.AwaitingHandOver));
        var command = (await _harness.Published.SelectAsync<HandOverFrozenFunds>(m => m.Context.Message.SeizureId == seizureId).First()).Context.Message;
        Assert.Equal((freezeId, new Money(4_000.01m, "CNY"), "SZPD-SZ-1", Investigator),
            (command.FreezeId, command.Amount, command.DocumentReference, command.RequestedBy));

        await _harness.Bus.Publish(new FrozenFundsSeized(seizureId, "SZ-2026-0001", freezeId, new Money(4_000.01m, "CNY"), "SZPD-SZ-1",
            "court seizure order", Investigator, Now, Now));

        Assert.NotNull(await _saga.Exists(seizureId, m => m.Seized));
    }

    [Fact]
    public async Task A_refusal_ends_the_seizure_and_a_repeated_request_sends_nothing_more()
    {
        var (seizureId, freezeId) = (Guid.NewGuid(), Guid.NewGuid());
        await _harness.Bus.Publish(Requested(seizureId, freezeId));
        Assert.NotNull(await _saga.Exists(seizureId, m => m.AwaitingHandOver));

        await _harness.Bus.Publish(new FrozenFundsSeizureRefused(seizureId, "SZ-2026-0001", freezeId, new Money(4_000.01m, "CNY"),
            "freeze.not-frozen", "released meanwhile", Now));
        Assert.NotNull(await _saga.Exists(seizureId, m => m.Refused));

        await _harness.Bus.Publish(Requested(seizureId, freezeId));
        Assert.True(await _harness.Consumed.Any<FrozenFundsSeizureRequested>(m => m.Context.Message.SeizureId == seizureId));
        await _harness.InactivityTask;
        Assert.Equal(1, _harness.Published.Select<HandOverFrozenFunds>().Count(m => m.Context.Message.SeizureId == seizureId));
        Assert.Equal("Refused: freeze.not-frozen", _saga.Sagas.Contains(seizureId).Outcome);
    }

    [Fact]
    public async Task Without_an_answer_the_request_is_sent_again_then_the_seizure_stalls_and_a_late_answer_still_completes_it()
    {
        var (seizureId, freezeId) = (Guid.NewGuid(), Guid.NewGuid());
        await _harness.Bus.Publish(Requested(seizureId, freezeId));

        Assert.NotNull(await _saga.Exists(seizureId, m => m.Stalled, TimeSpan.FromSeconds(30)));
        var requests = _harness.Published.Select<HandOverFrozenFunds>().Where(m => m.Context.Message.SeizureId == seizureId).ToList();
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal((freezeId, new Money(4_000.01m, "CNY")), (r.Context.Message.FreezeId, r.Context.Message.Amount)));
        var stalled = _saga.Sagas.Contains(seizureId);
        Assert.Equal((3, "Stalled: no answer from the freeze service to 3 hand-over requests"), (stalled.HandOverRequests, stalled.Outcome));

        await _harness.Bus.Publish(new FrozenFundsSeized(seizureId, "SZ-2026-0001", freezeId, new Money(4_000.01m, "CNY"), "SZPD-SZ-1",
            "court seizure order", Investigator, Now, Now));
        Assert.NotNull(await _saga.Exists(seizureId, m => m.Seized));
    }
}
