using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Restitution;
using AssetRecovery.Contracts.Seizure;
using AssetRecovery.Restitution.Workflow.CaseRecovery;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AssetRecovery.UnitTests.Restitution;

/// <summary>The case-recovery saga on MassTransit's in-memory test harness (the reviews it asks for run in the integration tests).</summary>
public sealed class CaseRecoveryStateMachineTests : IAsyncLifetime
{
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;
    private static readonly Actor Clerk = new("clerk-1", "Clerk One", "Investigator");
    private static readonly DateTimeOffset Now = new(2026, 12, 8, 9, 30, 0, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        _provider = new ServiceCollection()
            .AddMassTransitTestHarness(x =>
            {
                // As in FreezeStateMachineTests: the default 1.2 s of idleness can pass while a busy machine compiles the saga.
                x.SetTestTimeouts(testInactivityTimeout: TimeSpan.FromSeconds(5));
                x.AddSagaStateMachine<CaseRecoveryStateMachine, CaseRecoveryState>().InMemoryRepository();
                x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
            })
            .BuildServiceProvider(true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
    }

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    private async Task<ReviewCaseRecovery> ReviewAsync(string caseNumber, bool closingOnly) =>
        (await _harness.Published.SelectAsync<ReviewCaseRecovery>(m => m.Context.Message.CaseNumber == caseNumber
                                                                       && m.Context.Message.ClosingOnly == closingOnly).First()).Context.Message;

    [Fact]
    public async Task Money_reaching_the_pool_asks_for_a_full_review_and_a_confirmed_payment_for_one_that_looks_only_at_closing()
    {
        const string caseNumber = "C-REVIEW-1";
        await _harness.Bus.Publish(new RecoveryPoolCredited(caseNumber, new Money(700.00m, "CNY"), RecoveryPoolCreditSource.SeizedFrozenFunds,
            Guid.NewGuid(), "custody", Clerk, Now));
        Assert.Equal([new Money(700.00m, "CNY")], (await ReviewAsync(caseNumber, closingOnly: false)).PoolBalance);

        await _harness.Bus.Publish(new PaymentConfirmed(Guid.NewGuid(), Guid.NewGuid(), caseNumber, Guid.NewGuid(), new Money(420.00m, "CNY"),
            "PAY-1", Clerk, Now));
        Assert.Equal([new Money(700.00m, "CNY")], (await ReviewAsync(caseNumber, closingOnly: true)).PoolBalance);
        Assert.Single(_harness.Published.Select<ReviewCaseRecovery>(), m => m.Context.Message.CaseNumber == caseNumber && !m.Context.Message.ClosingOnly);
    }
}
