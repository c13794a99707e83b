using MassTransit;
using MassTransit.Metadata;
using MassTransit.Middleware;
using MassTransit.Serialization;
using MassTransit.Context;

namespace AssetRecovery.Messaging.Idempotency;

/// <summary>
/// A message a consumer or saga sent or published, kept in the same transaction as its state change and its inbox
/// record, and handed to RabbitMQ only after that commit. Stored serialized, exactly as it will go out.
/// </summary>
public sealed class OutboxMessage
{
    /// <summary>The outgoing message id: a second delivery after a crash carries the same id, so receivers drop it.</summary>
    public Guid Id { get; set; }
    /// <summary>The inbox record (<see cref="ProcessedMessage.Id"/>) of the message whose handling produced it.</summary>
    public string InboxKey { get; set; } = "";
    /// <summary>Send order within that handling.</summary>
    public int SequenceNumber { get; set; }
    public Uri? DestinationAddress { get; set; }
    public Guid? ConversationId { get; set; }
    public Guid? CorrelationId { get; set; }
    public Guid? InitiatorId { get; set; }
    public Guid? RequestId { get; set; }
    public Uri? SourceAddress { get; set; }
    public Uri? ResponseAddress { get; set; }
    public Uri? FaultAddress { get; set; }
    public DateTime SentTime { get; set; }
    public DateTime? ExpirationTime { get; set; }
    public string ContentType { get; set; } = "";
    public string MessageType { get; set; } = "";
    public string Body { get; set; } = "";
    public string? Headers { get; set; }
    public string? Properties { get; set; }

    public static OutboxMessage Capture<T>(SendContext<T> send, IObjectDeserializer serializer, string inboxKey, int sequenceNumber)
        where T : class
    {
        var now = DateTime.UtcNow;
        var message = new OutboxMessage
        {
            Id = send.MessageId ?? throw new MessageException(typeof(T), "An outgoing message needs a MessageId"),
            InboxKey = inboxKey,
            SequenceNumber = sequenceNumber,
            DestinationAddress = send.DestinationAddress,
            ConversationId = send.ConversationId,
            CorrelationId = send.CorrelationId,
            InitiatorId = send.InitiatorId,
            RequestId = send.RequestId,
            SourceAddress = send.SourceAddress,
            ResponseAddress = send.ResponseAddress,
            FaultAddress = send.FaultAddress,
            SentTime = send.SentTime ?? now,
            ExpirationTime = send.TimeToLive is { } ttl ? now + ttl : null,
            ContentType = send.ContentType?.ToString() ?? send.Serialization.DefaultContentType.ToString(),
            MessageType = string.Join(";", send.SupportedMessageTypes),
            Body = send.Serializer.GetMessageBody(send).GetString(),
            Headers = serializer.SerializeDictionary(send.Headers.GetAll()),
        };
        if (send is TransportSendContext<T> transport)
        {
            var properties = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            transport.WritePropertiesTo(properties);
            message.Properties = serializer.SerializeDictionary(properties);
        }
        return message;
    }

    /// <summary>The form that MassTransit's <see cref="OutboxMessageSendPipe"/> sends again as it was captured.</summary>
    public OutboxMessageContext ToContext(IObjectDeserializer serializer) => new StoredOutboxMessage(this, serializer);

    private sealed class StoredOutboxMessage(OutboxMessage stored, IObjectDeserializer serializer) : OutboxMessageContext
    {
        public long SequenceNumber => stored.SequenceNumber;
        public Guid MessageId => stored.Id;
        Guid? MessageContext.MessageId => stored.Id;
        public string ContentType => stored.ContentType;
        public string MessageType => stored.MessageType;
        public string Body => stored.Body;
        public IReadOnlyDictionary<string, object> Properties { get; } =
            serializer.DeserializeDictionary<object>(stored.Properties) ?? new Dictionary<string, object>();
        public Headers Headers { get; } = serializer.DeserializeDictionary<object?>(stored.Headers) is { } values
            ? new DictionarySendHeaders(values)
            : EmptyHeaders.Instance;
        public Guid? RequestId => stored.RequestId;
        public Guid? CorrelationId => stored.CorrelationId;
        public Guid? ConversationId => stored.ConversationId;
        public Guid? InitiatorId => stored.InitiatorId;
        public DateTime? ExpirationTime => stored.ExpirationTime;
        public Uri? SourceAddress => stored.SourceAddress;
        public Uri? DestinationAddress => stored.DestinationAddress;
        public Uri? ResponseAddress => stored.ResponseAddress;
        public Uri? FaultAddress => stored.FaultAddress;
        public DateTime? SentTime => stored.SentTime;
        public HostInfo Host => HostMetadataCache.Host;
    }
}
