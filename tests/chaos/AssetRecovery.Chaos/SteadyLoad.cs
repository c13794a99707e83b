using System.Collections.Concurrent;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Contracts.Freeze;
using Refit;

namespace AssetRecovery.Chaos;

public enum AttemptOutcome
{
    Answered,
    /// <summary>No answer within the client timeout.</summary>
    Hang,
    /// <summary>Refused or reset: the process was not there (a killed service), not a slow one.</summary>
    ConnectionFailed,
}

/// <summary>One HTTP attempt, as the client saw it.</summary>
public sealed record Attempt(string Operation, DateTimeOffset StartedAt, AttemptOutcome Outcome, int? Status, bool IsProblemDetails)
{
    public bool IsSuccess => Status is >= 200 and < 300;
    public bool IsUnavailableProblem => Status == 503 && IsProblemDetails;
}

public enum PlannedBankResult { None, FrozenInFull, Rejected }

/// <summary>One logical freeze request (its own case and account), possibly sent several times with one Idempotency-Key.</summary>
public sealed class Submission(string caseNumber, string accountNumber, PlannedBankResult plannedResult)
{
    public string CaseNumber { get; } = caseNumber;
    public string AccountNumber { get; } = accountNumber;
    public PlannedBankResult PlannedResult { get; } = plannedResult;
    public Guid? FreezeId { get; set; }
    public bool Acknowledged => FreezeId is not null;
    public bool ResultSent { get; set; }
    public bool ResultAcknowledged { get; set; }
}

/// <summary>
/// A steady stream of freeze requests at a fixed rate, whatever the answers (a slow answer does not slow the stream);
/// every other accepted freeze then gets the bank's result so that its saga moves on. Failed attempts are retried like a
/// careful client would: same Idempotency-Key, backing off; answers that refuse the request (4xx) are not retried.
/// </summary>
public sealed class SteadyLoad(IFreezeApi freezes, ChaosOptions options, string casePrefix)
{
    private const int MaxAttempts = 4;
    private const int MaxInFlight = 200;
    private readonly ConcurrentBag<Attempt> _attempts = [];
    private readonly ConcurrentBag<Submission> _submissions = [];
    private readonly ConcurrentDictionary<Task, bool> _inFlight = new();

    public IReadOnlyCollection<Attempt> Attempts => _attempts;
    public IReadOnlyCollection<Submission> Submissions => _submissions;

    /// <summary>Sends until <paramref name="stop"/> is cancelled, then waits for the requests under way.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / options.RequestsPerSecond));
        var number = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                if (_inFlight.Count >= MaxInFlight) continue;
                var submission = NewSubmission(++number);
                _submissions.Add(submission);
                var work = Task.Run(() => SubmitAsync(submission));
                _inFlight[work] = true;
                _ = work.ContinueWith(done => _inFlight.TryRemove(done, out _), TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
        await Task.WhenAll(_inFlight.Keys);
    }

    private Submission NewSubmission(int number)
    {
        // Its own case and account: no request queues behind another, so each saga's right state follows from its own stream.
        var account = string.Concat("62", Random.Shared.NextInt64(10_000_000_000_000_000, 99_999_999_999_999_999).ToString());
        var result = (number % 6) switch { 0 or 2 => PlannedBankResult.FrozenInFull, 4 => PlannedBankResult.Rejected, _ => PlannedBankResult.None };
        return new Submission($"{casePrefix}{number:D5}", account, result);
    }

    private async Task SubmitAsync(Submission submission)
    {
        var request = new SubmitFreezeRequest(submission.CaseNumber, FreezeKind.Freeze, "ICBC", submission.AccountNumber, "Chaos Test Holder",
            "CNY", 10_000.00m, false, "CHAOS-DOC-1", "Fault suite load");
        var idempotencyKey = Guid.NewGuid().ToString();
        var accepted = await SendWithRetriesAsync("submit", token => freezes.SubmitAsync(request, idempotencyKey, token));
        if (accepted?.Content is not { } content) return;
        submission.FreezeId = content.FreezeId;
        if (submission.PlannedResult == PlannedBankResult.None) return;

        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var result = submission.PlannedResult == PlannedBankResult.FrozenInFull
            ? new RecordBankExecutionRequest(BankExecutionOutcome.FrozenInFull)
            : new RecordBankExecutionRequest(BankExecutionOutcome.Rejected, ReasonCode: "AccountClosed");
        submission.ResultSent = true;
        var recorded = await SendWithRetriesAsync("bank-result", token => freezes.RecordBankExecutionAsync(content.FreezeId, result, token));
        submission.ResultAcknowledged = recorded is not null;
    }

    /// <summary>
    /// The successful answer, or null when every attempt failed or the request was refused. Between attempts the client
    /// waits 2, 4, 8 s (or the server's Retry-After, if longer) plus jitter: quick retries of timed-out requests would
    /// multiply the load on a server that is slow already, and the suite would measure its own retry storm.
    /// </summary>
    private async Task<T?> SendWithRetriesAsync<T>(string operation, Func<CancellationToken, Task<T>> send) where T : class, IApiResponse
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var startedAt = DateTimeOffset.UtcNow;
            var retryAfter = TimeSpan.Zero;
            using var timeout = new CancellationTokenSource(options.ClientTimeout);
            try
            {
                var response = await send(timeout.Token);
                if (response.StatusCode is { } statusCode)
                {
                    var status = (int)statusCode;
                    var isProblem = response.ContentHeaders?.ContentType?.MediaType == "application/problem+json";
                    _attempts.Add(new Attempt(operation, startedAt, AttemptOutcome.Answered, status, isProblem));
                    if (response.IsSuccessStatusCode) return response;
                    if (status < 500 && status != 429) return null;
                    retryAfter = response.Headers?.RetryAfter?.Delta ?? TimeSpan.Zero;
                }
                else
                {
                    // Refit may hand back a transport failure as a response without a status instead of throwing it.
                    _attempts.Add(new Attempt(operation, startedAt,
                        timeout.IsCancellationRequested ? AttemptOutcome.Hang : AttemptOutcome.ConnectionFailed, null, false));
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                _attempts.Add(new Attempt(operation, startedAt, AttemptOutcome.Hang, null, false));
            }
            catch (HttpRequestException)
            {
                _attempts.Add(new Attempt(operation, startedAt, AttemptOutcome.ConnectionFailed, null, false));
            }
            if (attempt == MaxAttempts) break;
            var backOff = TimeSpan.FromSeconds(Math.Pow(2, attempt));
            await Task.Delay((retryAfter > backOff ? retryAfter : backOff) + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 1000)));
        }
        return null;
    }
}
