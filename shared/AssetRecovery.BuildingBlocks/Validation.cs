namespace AssetRecovery.BuildingBlocks;

/// <summary>Bad input: each entry names the field and what is wrong. Answered 400 ProblemDetails; nothing is written.</summary>
public sealed class RequestValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("The request is not valid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

/// <summary>A valid request that the current state does not allow (already executed, conflicting result...). Answered 409.</summary>
public sealed class DomainRuleViolationException(string rule, string message) : Exception(message)
{
    /// <summary>A stable code for clients, e.g. "freeze.already-executed".</summary>
    public string Rule { get; } = rule;
}

/// <summary>Well-formed, but cannot be processed as sent (e.g. an idempotency key reused for another request). Answered 422.</summary>
public sealed class UnprocessableRequestException(string rule, string message) : Exception(message)
{
    public string Rule { get; } = rule;
}

/// <summary>The caller may not do this to this resource (beyond what their role allows in general). Answered 403.</summary>
public sealed class AccessDeniedException(string message) : Exception(message);

/// <summary>The addressed resource does not exist (or is not visible to the caller). Answered 404.</summary>
public sealed class ResourceNotFoundException(string resource, string id)
    : Exception($"{resource} '{id}' was not found.");

/// <summary>Collects field errors, then throws them all at once.</summary>
public sealed class Validator
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    /// <summary>Errors so far: compare before and after checking one item of a list to know whether that item passed.</summary>
    public int ErrorCount => _errors.Sum(e => e.Value.Count);

    public Validator Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    public Validator Required(string field, string? value, int maxLength = 200)
    {
        if (string.IsNullOrWhiteSpace(value)) return Add(field, "is required.");
        if (value.Length > maxLength) Add(field, $"must be at most {maxLength} characters.");
        if (value.Any(char.IsControl)) Add(field, "must not contain control characters.");
        return this;
    }

    /// <summary>
    /// A filter naming a value of <typeparamref name="TEnum"/> (a list's status, any case): null when absent, a 400 for
    /// <paramref name="field"/> when it names none.
    /// </summary>
    public static TEnum? OptionalEnum<TEnum>(string field, string? value) where TEnum : struct, Enum
    {
        if (value is null) return null;
        if (Enum.TryParse<TEnum>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)) return parsed;
        throw new RequestValidationException(new Dictionary<string, string[]>
        {
            [field] = [$"must be one of {string.Join(", ", Enum.GetNames<TEnum>())}."],
        });
    }

    /// <summary>May be absent; when given, the same limits as <see cref="Required"/>.</summary>
    public Validator Optional(string field, string? value, int maxLength = 200) =>
        value is null ? this : Required(field, value, maxLength);

    public Validator Currency(string field, string? code)
    {
        if (string.IsNullOrWhiteSpace(code)) return Add(field, "is required.");
        return Currencies.IsKnown(code) ? this : Add(field, $"'{code}' is not an ISO 4217 currency code.");
    }

    /// <summary>A positive amount with no more decimals than the currency allows (currency checked separately).</summary>
    public Validator PositiveAmount(string field, decimal? amount, string? currency)
    {
        if (amount is null) return Add(field, "is required.");
        if (amount <= 0m) return Add(field, "must be greater than zero.");
        if (amount > MaxAmount) return Add(field, $"must not exceed {MaxAmount}.");
        if (Currencies.IsKnown(currency) && !Currencies.FitsMinorUnit(amount.Value, currency!))
            Add(field, $"has more decimal places than {currency} allows ({Currencies.MinorUnitDigits(currency!)}).");
        return this;
    }

    public void ThrowIfInvalid()
    {
        if (!IsValid) throw new RequestValidationException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
    }

    /// <summary>Largest amount accepted anywhere (one trillion): far above any real account, well inside decimal's range.</summary>
    public const decimal MaxAmount = 1_000_000_000_000m;
}
