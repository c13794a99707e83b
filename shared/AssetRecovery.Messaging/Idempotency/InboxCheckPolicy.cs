using MassTransit;

namespace AssetRecovery.Messaging.Idempotency;

/// <summary>
/// A saga kept by <see cref="Sagas.MartenSagaRepositoryRegistration.MartenRepository{TSaga}"/>: its endpoint name, as the
/// bus's formatter gives it.
/// </summary>
public sealed record SagaEndpoint(Func<IEndpointNameFormatter, string> Name);

/// <summary>
/// Where <see cref="InboxOutboxFilter{T}"/> may look for an earlier copy of a message only when handling it fails, instead of
/// before. That saves a round trip per message, and is safe only where everything handling a message does is staged in the
/// message's session, so that a copy handled twice commits once: the endpoints of the Marten sagas (state machines publish,
/// send and schedule, all captured in the session). A consumer that commits or calls out on its own keeps the check first,
/// and so must not share a saga's endpoint. A copy found by its failed commit leaves that commit in the log (Marten logs it
/// as an error).
/// </summary>
public sealed class InboxCheckPolicy(IEndpointNameFormatter formatter, IEnumerable<SagaEndpoint> sagas)
{
    private readonly HashSet<string> checkedAtCommit = sagas.Select(s => s.Name(formatter)).ToHashSet(StringComparer.Ordinal);

    public IReadOnlyCollection<string> EndpointsCheckedAtCommit => checkedAtCommit;

    /// <summary>True for an endpoint whose earlier copies are looked up only once handling one or its commit fails.</summary>
    public bool ChecksAtCommit(Uri inputAddress) => checkedAtCommit.Contains(inputAddress.AbsolutePath.Split('/')[^1]);
}
