using AssetRecovery.Messaging.Idempotency;
using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AssetRecovery.ServiceDefaults;

public sealed class RetentionOptions
{
    public const string Section = "Retention";
    /// <summary>Inbox records older than this are deleted: far longer than any redelivery of the same message.</summary>
    public TimeSpan Inbox { get; set; } = TimeSpan.FromDays(30);
    /// <summary>Idempotency-Key records older than this are deleted: far longer than any client retries a request.</summary>
    public TimeSpan IdempotencyKeys { get; set; } = TimeSpan.FromDays(30);
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);
}

/// <summary>Deletes the bookkeeping that only guards against duplicates once no duplicate can come any more.</summary>
public sealed class RetentionService(IDocumentStore store, TimeProvider clock, IOptions<RetentionOptions> options, ILogger<RetentionService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PurgeAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Retention purge failed; will try again.");
            }
            try { await Task.Delay(options.Value.Interval, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>One purge; answers how many inbox and idempotency records it deleted.</summary>
    public async Task<(int Inbox, int IdempotencyKeys)> PurgeAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var inboxBefore = now - options.Value.Inbox;
        var keysBefore = now - options.Value.IdempotencyKeys;
        await using var session = store.LightweightSession();
        var inbox = await session.Query<ProcessedMessage>().CountAsync(m => m.ProcessedAt < inboxBefore, ct);
        var keys = await session.Query<IdempotencyRecord>().CountAsync(r => r.CreatedAt < keysBefore, ct);
        session.DeleteWhere<ProcessedMessage>(m => m.ProcessedAt < inboxBefore);
        session.DeleteWhere<IdempotencyRecord>(r => r.CreatedAt < keysBefore);
        await session.SaveChangesAsync(ct);
        if (inbox + keys > 0) logger.LogInformation("Retention: deleted {Inbox} inbox and {Keys} idempotency records", inbox, keys);
        return (inbox, keys);
    }
}
