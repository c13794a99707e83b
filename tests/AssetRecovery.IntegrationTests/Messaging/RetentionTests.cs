using AssetRecovery.Freeze;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.Messaging.Idempotency;
using AssetRecovery.ServiceDefaults;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace AssetRecovery.IntegrationTests.Messaging;

/// <summary>Inbox and Idempotency-Key records are deleted once no duplicate can come any more, and only then.</summary>
[Collection(SystemCollection.Name)]
public sealed class RetentionTests(Infrastructure.Infrastructure infrastructure) : IAsyncLifetime
{
    private TestSystem _system = null!;
    private ServiceHost<FreezeService> _freeze = null!;

    public async Task InitializeAsync()
    {
        _system = await TestSystem.StartAsync(infrastructure);
        _freeze = _system.Start<FreezeService>("freeze");
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();

    [Fact]
    public async Task Records_older_than_the_retention_are_purged_and_recent_ones_kept()
    {
        var store = _freeze.Services.GetRequiredService<IDocumentStore>();
        var now = DateTimeOffset.UtcNow;
        await using (var session = store.LightweightSession())
        {
            session.Store(new ProcessedMessage("endpoint/old", "T", now.AddDays(-31)), new ProcessedMessage("endpoint/recent", "T", now.AddDays(-29)));
            session.Store(new IdempotencyRecord("freezes/a/old", "h", Guid.NewGuid(), now.AddDays(-31)),
                new IdempotencyRecord("freezes/a/recent", "h", Guid.NewGuid(), now.AddHours(-1)));
            await session.SaveChangesAsync();
        }

        var purged = await _freeze.Services.GetRequiredService<RetentionService>().PurgeAsync(CancellationToken.None);

        Assert.Equal((1, 1), purged);
        await using var query = store.QuerySession();
        Assert.Equal(["endpoint/recent"], (await query.Query<ProcessedMessage>().Where(m => m.Id.StartsWith("endpoint/")).ToListAsync()).Select(m => m.Id));
        Assert.Equal(["freezes/a/recent"], (await query.Query<IdempotencyRecord>().Where(r => r.Id.StartsWith("freezes/a/")).ToListAsync()).Select(r => r.Id));
    }
}
