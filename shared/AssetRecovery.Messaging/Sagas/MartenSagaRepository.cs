using Marten;
using Marten.Schema.Identity;
using MassTransit;
using MassTransit.Configuration;
using MassTransit.Context;
using MassTransit.Logging;
using MassTransit.Middleware;
using MassTransit.Saga;
using Microsoft.Extensions.DependencyInjection;

namespace AssetRecovery.Messaging.Sagas;

/// <summary>
/// MassTransit saga persistence in Marten documents (the MassTransit.Marten package is not available here).
/// The saga's changes are staged in the message's scoped session, which the inbox-outbox filter commits together with
/// what the saga sent and the inbox record. Instances carry optimistic concurrency, so two messages racing on one saga
/// make one of them fail with JasperFx.ConcurrencyException, which the bus retries against the fresh state.
/// </summary>
public static class MartenSagaRepositoryRegistration
{
    public static ISagaRegistrationConfigurator<TSaga> MartenRepository<TSaga>(this ISagaRegistrationConfigurator<TSaga> configurator)
        where TSaga : class, ISaga
    {
        configurator.Repository(services =>
        {
            services.RegisterLoadSagaRepository<TSaga, MartenSagaRepositoryContextFactory<TSaga>>();
            services.RegisterQuerySagaRepository<TSaga, MartenSagaRepositoryContextFactory<TSaga>>();
            services.RegisterSagaRepository<TSaga, IDocumentSession, SagaConsumeContextFactory<IDocumentSession, TSaga>,
                MartenSagaRepositoryContextFactory<TSaga>>();
            // Everything a saga does is staged in the message's session: its inbox record is checked at commit.
            services.AddSingleton(new Idempotency.SagaEndpoint(formatter => formatter.Saga<TSaga>()));
            services.ConfigureMarten(options => options.Schema.For<TSaga>()
                .Identity(x => x.CorrelationId)
                .IdStrategy(new NoOpIdGeneration())
                .UseOptimisticConcurrency(true));
        });
        return configurator;
    }
}

public sealed class MartenSagaRepositoryContextFactory<TSaga>(IDocumentStore store, IDocumentSession session,
    ISagaConsumeContextFactory<IDocumentSession, TSaga> factory)
    : ISagaRepositoryContextFactory<TSaga>, IQuerySagaRepositoryContextFactory<TSaga>, ILoadSagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISaga
{
    public Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next) where T : class =>
        next.Send(new MartenSagaRepositoryContext<TSaga, T>(session, context, factory));

    public async Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class
    {
        var instances = await session.Query<TSaga>().Where(query.FilterExpression).ToListAsync(context.CancellationToken);
        var repositoryContext = new MartenSagaRepositoryContext<TSaga, T>(session, context, factory);
        await next.Send(new LoadedSagaRepositoryQueryContext<TSaga, T>(repositoryContext, instances));
    }

    public async Task<T> Execute<T>(Func<LoadSagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class
    {
        await using var session = store.QuerySession();
        return await asyncMethod(new MartenSagaQueryContext<TSaga>(session, cancellationToken));
    }

    public async Task<T> Execute<T>(Func<QuerySagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class
    {
        await using var session = store.QuerySession();
        return await asyncMethod(new MartenSagaQueryContext<TSaga>(session, cancellationToken));
    }

    public void Probe(ProbeContext context) => context.Add("persistence", "marten");
}

/// <summary>
/// One message's view of the repository. Add wraps only; Save stages an insert of a new instance; Update stages a write of
/// a loaded one. Nothing commits here: the inbox-outbox filter does, once the whole message is handled.
/// </summary>
public sealed class MartenSagaRepositoryContext<TSaga, TMessage> : ConsumeContextScope<TMessage>, SagaRepositoryContext<TSaga, TMessage>
    where TSaga : class, ISaga
    where TMessage : class
{
    private readonly IDocumentSession session;
    private readonly ConsumeContext<TMessage> context;
    private readonly ISagaConsumeContextFactory<IDocumentSession, TSaga> factory;

    public MartenSagaRepositoryContext(IDocumentSession session, ConsumeContext<TMessage> context,
        ISagaConsumeContextFactory<IDocumentSession, TSaga> factory) : base(context)
    {
        this.session = session;
        this.context = context;
        this.factory = factory;
    }
    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> consumeContext, TSaga instance,
        SagaConsumeContextMode mode) where T : class =>
        factory.CreateSagaConsumeContext(session, consumeContext, instance, mode);

    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        factory.CreateSagaConsumeContext(session, context, instance, SagaConsumeContextMode.Add);

    /// <summary>For InsertOnInitial: an instance already there sends MassTransit on to Load; a racing insert conflicts at commit.</summary>
    public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance)
    {
        if (await session.LoadAsync<TSaga>(instance.CorrelationId, CancellationToken) is not null) return null!;
        session.Insert(instance);
        context.LogInsert<TSaga, TMessage>(instance.CorrelationId);
        return await factory.CreateSagaConsumeContext(session, context, instance, SagaConsumeContextMode.Insert);
    }

    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
    {
        var instance = await session.LoadAsync<TSaga>(correlationId, CancellationToken);
        return instance is null
            ? null!
            : await factory.CreateSagaConsumeContext(session, context, instance, SagaConsumeContextMode.Load);
    }

    /// <summary>A new instance: Insert, so that two messages creating the same saga at once conflict instead of overwriting.</summary>
    public Task Save(SagaConsumeContext<TSaga> sagaContext)
    {
        session.Insert(sagaContext.Saga);
        return Task.CompletedTask;
    }

    public Task Update(SagaConsumeContext<TSaga> sagaContext)
    {
        session.Update(sagaContext.Saga);
        return Task.CompletedTask;
    }

    public Task Delete(SagaConsumeContext<TSaga> sagaContext)
    {
        session.Delete(sagaContext.Saga);
        return Task.CompletedTask;
    }

    public Task Discard(SagaConsumeContext<TSaga> sagaContext) => Task.CompletedTask;

    public Task Undo(SagaConsumeContext<TSaga> sagaContext)
    {
        session.Eject(sagaContext.Saga);
        return Task.CompletedTask;
    }
}

public sealed class MartenSagaQueryContext<TSaga>(IQuerySession session, CancellationToken cancellationToken)
    : BasePipeContext(cancellationToken), QuerySagaRepositoryContext<TSaga>, LoadSagaRepositoryContext<TSaga>
    where TSaga : class, ISaga
{
    public async Task<TSaga> Load(Guid correlationId) => (await session.LoadAsync<TSaga>(correlationId, CancellationToken))!;

    public async Task<SagaRepositoryQueryContext<TSaga>> Query(ISagaQuery<TSaga> query, CancellationToken cancellationToken = default)
    {
        var instances = await session.Query<TSaga>().Where(query.FilterExpression).ToListAsync(cancellationToken);
        return new LoadedSagaRepositoryQueryContext<TSaga>(this, instances);
    }
}
