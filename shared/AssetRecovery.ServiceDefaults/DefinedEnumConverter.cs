using System.Text.Json;
using System.Text.Json.Serialization;

namespace AssetRecovery.ServiceDefaults;

/// <summary>
/// Enums as names (integers still read, for clients that send them), but only values the enum defines: without this,
/// {"kind": 99} or {"outcome": -1} bound to an undefined member, passed the null checks and was recorded (found by the
/// security corpus). An undefined value now fails JSON binding: a 400 naming the field, nothing written.
/// </summary>
internal sealed class DefinedEnumConverter : JsonConverterFactory
{
    private readonly JsonStringEnumConverter _names = new();

    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Checked<>).MakeGenericType(typeToConvert), _names.CreateConverter(typeToConvert, options))!;

    private sealed class Checked<T>(JsonConverter inner) : JsonConverter<T> where T : struct, Enum
    {
        private readonly JsonConverter<T> _inner = (JsonConverter<T>)inner;

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var value = _inner.Read(ref reader, typeToConvert, options);
            if (!Enum.IsDefined(value))
                throw new JsonException($"{Convert.ToInt64(value)} is not one of {string.Join(", ", Enum.GetNames<T>())}.");
            return value;
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => _inner.Write(writer, value, options);

        public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            _inner.ReadAsPropertyName(ref reader, typeToConvert, options);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            _inner.WriteAsPropertyName(writer, value, options);
    }
}
