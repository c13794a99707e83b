using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Freeze.Workflow;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using AssetRecovery.Freeze.Domain;

namespace AssetRecovery.UnitTests.Freeze;

/// <summary>The freeze saga on MassTransit's in-memory test harness (the live-bus behaviour is in the integration tests).</summary>
public sealed class FreezeStateMachineTests : IAsyncLifetime
{
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;
    private ISagaStateMachineTestHarness<FreezeStateMachine, FreezeSagaState> _saga = null!;
    private static readonly Actor Officer = new("officer-1", "Officer Li", "BankLiaison");

    public async Task InitializeAsync()
    {
        _provider = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddSingleton(Options.Create(new FreezeOptions()))
            .AddMassTransitTestHarness(x =>
            {
                // A published-message check waits until the bus has been idle this long. A term ends 500 ms after the
                // bank's answer: with the default 1.2 s, a CI machine busy compiling the other tests missed it once.
                x.SetTestTimeouts(testInactivityTimeout: TimeSpan.FromSeconds(5));
                x.AddDelayedMessageScheduler();
                x.AddSagaStateMachine<FreezeStateMachine, FreezeSagaState>().InMemoryRepository();
                x.UsingInMemory((context, cfg) =>
                {
                    cfg.UseDelayedMessageScheduler();
                    cfg.ConfigureEndpoints(context);
                });
            })
            .BuildServiceProvider(true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
        _saga = _harness.GetSagaStateMachineHarness<FreezeStateMachine, FreezeSagaState>();
    }

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    [Fact]
    public async Task A_request_waits_for_the_bank_with_a_deadline_and_the_result_clears_it()
    {
        var id = Guid.NewGuid();
        await _harness.Bus.Publish(Requested(id, TimeSpan.FromHours(1)));

        Assert.NotNull(await _saga.Exists(id, m => m.AwaitingBankExecution));
        Assert.NotNull(_saga.Sagas.Contains(id).AcknowledgementTimeoutTokenId);

        await _harness.Bus.Publish(Executed(id));

        Assert.NotNull(await _saga.Exists(id, m => m.Frozen));
        var saga = _saga.Sagas.Contains(id);
        Assert.Null(saga.AcknowledgementTimeoutTokenId);
        Assert.Equal("FrozenInPart", saga.BankOutcome);
    }

    [Fact]
    public async Task A_missed_deadline_asks_the_freeze_service_to_flag_the_freeze()
    {
        var id = Guid.NewGuid();
        await _harness.Bus.Publish(Requested(id, TimeSpan.FromMilliseconds(300)));

        Assert.NotNull(await _saga.Exists(id, m => m.AcknowledgementOverdue, TimeSpan.FromSeconds(10)));
        Assert.True(await _harness.Published.Any<FlagFreezeAcknowledgementOverdue>(m => m.Context.Message.FreezeId == id));

        await _harness.Bus.Publish(Executed(id));
        Assert.NotNull(await _saga.Exists(id, m => m.Frozen));
    }

    [Fact]
    public async Task A_result_that_overtakes_its_request_is_kept_and_the_request_schedules_nothing()
    {
        var id = Guid.NewGuid();
        await _harness.Bus.Publish(Executed(id));
        Assert.NotNull(await _saga.Exists(id, m => m.Frozen));

        await _harness.Bus.Publish(Requested(id, TimeSpan.FromMilliseconds(200)));
        Assert.True(await _saga.Consumed.Any<FreezeRequested>(m => m.Context.Message.FreezeId == id));
        await Task.Delay(500);

        Assert.NotNull(await _saga.Exists(id, m => m.Frozen));
        var saga = _saga.Sagas.Contains(id);
        Assert.Null(saga.AcknowledgementTimeoutTokenId);
        Assert.NotNull(saga.AcknowledgementDueAt); // the late request's details are kept
        Assert.False(await _harness.Published.Any<FlagFreezeAcknowledgementOverdue>(m => m.Context.Message.FreezeId == id));
    }

    [Fact]
    public async Task A_frozen_hold_is_reminded_before_expiry_and_asked_to_lapse_at_it_and_a_lapse_ends_it()
    {
        var id = Guid.NewGuid();
        await _harness.Bus.Publish(Requested(id, TimeSpan.FromHours(1)));
        Assert.NotNull(await _saga.Exists(id, m => m.AwaitingBankExecution));

        await _harness.Bus.Publish(Executed(id, term: TimeSpan.FromMilliseconds(500))); // the 7-day reminder is due at once

        Assert.True(await _harness.Published.Any<IssueFreezeExpiryReminder>(m => m.Context.Message.FreezeId == id));
        Assert.True(await _harness.Published.Any<LapseFreeze>(m => m.Context.Message.FreezeId == id));
        Assert.NotNull(await _saga.Exists(id, m => m.Frozen));

        await _harness.Bus.Publish(new FreezeLapsed(id, "SZ-2024-0315", DateTimeOffset.UtcNow, null, DateTimeOffset.UtcNow));
        Assert.NotNull(await _saga.Exists(id, m => m.Ended));
        Assert.Equal("Lapsed", _saga.Sagas.Contains(id).EndReason);
    }

    [Fact]
    public async Task A_queued_freeze_gets_its_deadline_only_when_activated()
    {
        var id = Guid.NewGuid();
        await _harness.Bus.Publish(Requested(id, TimeSpan.FromHours(1)) with { Queued = true, AcknowledgementDueAt = null });
        Assert.NotNull(await _saga.Exists(id, m => m.Queued));
        Assert.Null(_saga.Sagas.Contains(id).AcknowledgementTimeoutTokenId);

        await _harness.Bus.Publish(new FreezeActivated(id, "SZ-2024-0315", Guid.NewGuid(), DateTimeOffset.UtcNow.AddHours(1), DateTimeOffset.UtcNow));

        Assert.NotNull(await _saga.Exists(id, m => m.AwaitingBankExecution));
        Assert.NotNull(_saga.Sagas.Contains(id).AcknowledgementTimeoutTokenId);
    }

    [Fact]
    public async Task A_bank_answer_that_overtakes_the_activation_of_a_queued_freeze_still_starts_its_term()
    {
        var id = Guid.NewGuid();
        await _harness.Bus.Publish(Requested(id, TimeSpan.FromHours(1)) with { Queued = true, AcknowledgementDueAt = null });
        Assert.NotNull(await _saga.Exists(id, m => m.Queued));

        await _harness.Bus.Publish(Executed(id));

        Assert.NotNull(await _saga.Exists(id, m => m.Frozen));
        Assert.NotNull(_saga.Sagas.Contains(id).TermEndTokenId);
    }

    [Fact]
    public async Task A_whole_release_the_saga_hears_of_before_the_execution_ends_it()
    {
        var id = Guid.NewGuid();
        await _harness.Bus.Publish(Requested(id, TimeSpan.FromHours(1)));
        Assert.NotNull(await _saga.Exists(id, m => m.AwaitingBankExecution));

        await _harness.Bus.Publish(new FreezeReleased(id, "SZ-2024-0315", new Money(100m, "CNY"), new Money(0m, "CNY"), true, "r", "DOC",
            Officer, DateTimeOffset.UtcNow));

        Assert.NotNull(await _saga.Exists(id, m => m.Ended));
        var saga = _saga.Sagas.Contains(id);
        Assert.Equal(("Released", null), (saga.EndReason, saga.AcknowledgementTimeoutTokenId));
    }

    private static FreezeRequested Requested(Guid id, TimeSpan ackWithin) => new(
        id, "SZ-2024-0315", FreezeKind.Freeze, "ICBC", "6222020200112233445", "Zhang San", "CNY", 5_000m, "DOC", "fraud",
        DateTimeOffset.UtcNow + ackWithin, Officer, DateTimeOffset.UtcNow);

    // The harness's in-memory scheduler cannot wait beyond about 49 days (a timer limit), so terms here are short.
    private static FreezeExecutedByBank Executed(Guid id, TimeSpan? term = null) => new(
        id, "SZ-2024-0315", BankExecutionOutcome.FrozenInPart, new Money(100m, "CNY"), new Money(100m, "CNY"), DateTimeOffset.UtcNow, null,
        Officer, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow + (term ?? TimeSpan.FromDays(30)));
}
