using Marten;
using Npgsql;

namespace AssetRecovery.Messaging;

/// <summary>Write conflicts of the store: someone else changed the same stream or document first.</summary>
public static class StoreConflicts
{
    public static bool IsConflict(Exception exception) => exception switch
    {
        JasperFx.ConcurrencyException => true,
        JasperFx.DocumentAlreadyExistsException => true,
        Marten.Exceptions.ExistingStreamIdCollisionException => true,
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.SerializationFailure } => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsConflict),
        _ => exception.InnerException is not null && IsConflict(exception.InnerException),
    };

    /// <summary>
    /// Runs <paramref name="work"/> in a fresh session and commits it; on a conflict, runs it again against fresh state
    /// (a few times, with a short random pause). What is still conflicting after that reaches the caller.
    /// </summary>
    public static async Task<T> WriteWithRetryAsync<T>(this ISessionFactory sessions, Func<IDocumentSession, Task<T>> work,
        CancellationToken cancellationToken, int attempts = 5)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var session = sessions.OpenSession();
            try
            {
                var result = await work(session);
                await session.SaveChangesAsync(cancellationToken);
                return result;
            }
            catch (Exception exception) when (attempt < attempts && IsConflict(exception))
            {
                await Task.Delay(Random.Shared.Next(5, 25 * attempt), cancellationToken);
            }
        }
    }

    /// <summary>As <see cref="WriteWithRetryAsync{T}"/>, for work that answers nothing.</summary>
    public static Task WriteWithRetryAsync(this ISessionFactory sessions, Func<IDocumentSession, Task> work,
        CancellationToken cancellationToken, int attempts = 5) =>
        sessions.WriteWithRetryAsync(async session => { await work(session); return true; }, cancellationToken, attempts);
}
