using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace AssetRecovery.Chaos;

public sealed record QueueDepth(string Name, long Messages)
{
    /// <summary>MassTransit moves a message that failed every retry to "&lt;queue&gt;_error", one nobody consumes to "_skipped".</summary>
    public bool IsDeadLetter => Name.EndsWith("_error", StringComparison.Ordinal) || Name.EndsWith("_skipped", StringComparison.Ordinal);
}

/// <summary>One message taken from an error or skipped queue, with what MassTransit wrote about its failure.</summary>
public sealed record DeadLetter(string Queue, string MessageType, Guid? MessageId, string? FaultDescription)
{
    public bool IsSkipped => Queue.EndsWith("_skipped", StringComparison.Ordinal);
    /// <summary>The consuming endpoint's queue (error and skipped queues are named after it).</summary>
    public string Endpoint => Queue[..Queue.LastIndexOf('_')];
}

/// <summary>Queue depths and dead letters of the private RabbitMQ vhost, through its management API.</summary>
public sealed class BrokerAudit : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _vhost;

    public BrokerAudit(ChaosOptions options)
    {
        _http = new HttpClient { BaseAddress = options.RabbitManagementUrl, Timeout = TimeSpan.FromSeconds(10) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.RabbitUsername}:{options.RabbitPassword}")));
        _vhost = Uri.EscapeDataString(options.RabbitVirtualHost);
    }

    public async Task<IReadOnlyList<QueueDepth>> QueuesAsync()
    {
        var queues = await _http.GetFromJsonAsync<JsonElement>($"api/queues/{_vhost}?columns=name,messages");
        return queues.EnumerateArray()
            .Select(q => new QueueDepth(q.GetProperty("name").GetString()!, q.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt64() : 0))
            .ToList();
    }

    /// <summary>
    /// Takes every message out of the dead-letter queues, so that each fault is charged with its own; the suite reports
    /// each one (explained or not), so nothing taken is hidden.
    /// </summary>
    public async Task<IReadOnlyList<DeadLetter>> DrainDeadLettersAsync()
    {
        var letters = new List<DeadLetter>();
        foreach (var queue in (await QueuesAsync()).Where(q => q.IsDeadLetter && q.Messages > 0))
        {
            var response = await _http.PostAsJsonAsync($"api/queues/{_vhost}/{Uri.EscapeDataString(queue.Name)}/get",
                new { count = queue.Messages + 100, ackmode = "ack_requeue_false", encoding = "auto", truncate = 20_000 });
            response.EnsureSuccessStatusCode();
            foreach (var message in (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray())
                letters.Add(Describe(queue.Name, message));
        }
        return letters;
    }

    private static DeadLetter Describe(string queue, JsonElement message)
    {
        var properties = message.GetProperty("properties");
        var headers = properties.TryGetProperty("headers", out var h) ? h : default;
        Guid? messageId = properties.TryGetProperty("message_id", out var id) && Guid.TryParse(id.GetString(), out var parsed) ? parsed : null;
        string? Header(string name) => headers.ValueKind == JsonValueKind.Object && headers.TryGetProperty(name, out var value) ? value.ToString() : null;
        var messageType = "?";
        try
        {
            using var body = JsonDocument.Parse(message.GetProperty("payload").GetString() ?? "{}");
            if (body.RootElement.TryGetProperty("messageType", out var types) && types.GetArrayLength() > 0)
                messageType = types[0].GetString()!.Split(':').Last();
        }
        catch (JsonException) { }
        var fault = Header("MT-Fault-ExceptionType") is { } exceptionType ? $"{exceptionType}: {Header("MT-Fault-Message")}" : null;
        return new DeadLetter(queue, messageType, messageId, fault);
    }

    public void Dispose() => _http.Dispose();
}
