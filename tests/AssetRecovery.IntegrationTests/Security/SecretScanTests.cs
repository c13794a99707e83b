using System.Diagnostics;
using System.Text.RegularExpressions;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.ServiceDefaults;

namespace AssetRecovery.IntegrationTests.Security;

/// <summary>No secrets in the repository: only the known development credentials, and no private keys or tokens.</summary>
public sealed partial class SecretScanTests
{
    /// <summary>Development-only values, refused or unused outside Development (the signing key is refused by the hosts).</summary>
    private static readonly HashSet<string> KnownDevelopmentValues = new(StringComparer.Ordinal)
    {
        "assetrecovery", "guest", DevelopmentTokens.SigningKey,
    };

    [Fact]
    public void Tracked_files_hold_no_private_keys_tokens_or_unknown_passwords()
    {
        var root = ServiceProcess.RepositoryRoot();
        var files = TrackedFiles(root);
        Assert.True(files.Count > 50, $"only {files.Count} tracked files found under {root}");
        var findings = new List<string>();
        foreach (var file in files)
        {
            var path = Path.Combine(root, file);
            if (!File.Exists(path) || new FileInfo(path).Length > 2_000_000) continue;
            var text = File.ReadAllText(path);
            if (text.Contains('\0')) continue; // binary
            foreach (Match key in PrivateKey().Matches(text)) findings.Add($"{file}: a private key ({key.Value})");
            foreach (Match token in JwtLiteral().Matches(text)) findings.Add($"{file}: a JWT literal {token.Value[..20]}…");
            foreach (Match aws in AwsAccessKey().Matches(text)) findings.Add($"{file}: an AWS access key {aws.Value}");
            foreach (Match secret in SecretAssignment().Matches(text))
            {
                var value = secret.Groups["value"].Value.Trim('"', '\'');
                if (KnownDevelopmentValues.Contains(value) || LooksLikeAReference(value)) continue;
                findings.Add($"{file}: {secret.Value.Trim()}");
            }
        }
        Assert.True(findings.Count == 0, "secrets in tracked files:\n" + string.Join("\n", findings));
    }

    [Fact]
    public void The_scan_finds_what_it_looks_for()
    {
        Assert.Matches(PrivateKey(), "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIE");
        Assert.Matches(JwtLiteral(), DevelopmentTokens.Create(Roles.Court, "x"));
        // Split so that this file does not itself hold what the scan looks for.
        var match = SecretAssignment().Match("\"Pass" + "word\": \"hunter2-prod\"");
        Assert.True(match.Success && match.Groups["value"].Value.Trim('"') == "hunter2-prod");
        Assert.Equal("s3cr3t", SecretAssignment().Match("Pass" + "word=s3cr3t;Maximum Pool Size=50").Groups["value"].Value);
    }

    /// <summary>Shell and configuration placeholders, not values: $VAR, ${VAR}, names of settings, empty strings.</summary>
    private static bool LooksLikeAReference(string value) =>
        value.Length == 0 || value.StartsWith('$') || value.StartsWith('=') || value.Contains("DevelopmentTokens.", StringComparison.Ordinal) || value.StartsWith('<') || value.StartsWith('{') || value is "null" or "true" or "false"
        || value.All(c => char.IsAsciiLetterUpper(c) || c == '_') // an environment variable's name
        || value.Contains("options.", StringComparison.Ordinal) || value.StartsWith("request.", StringComparison.Ordinal)
        || value.StartsWith("settings", StringComparison.Ordinal) || value.StartsWith("Environment.", StringComparison.Ordinal)
        || value.StartsWith("_", StringComparison.Ordinal) || value.StartsWith("Rabbit", StringComparison.Ordinal);

    private static List<string> TrackedFiles(string root)
    {
        var git = Process.Start(new ProcessStartInfo("git", ["-C", root, "ls-files", "-z"]) { RedirectStandardOutput = true })!;
        var output = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        Assert.Equal(0, git.ExitCode);
        return output.Split('\0', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    [GeneratedRegex(@"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----")]
    private static partial Regex PrivateKey();

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}")]
    private static partial Regex JwtLiteral();

    [GeneratedRegex(@"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")]
    private static partial Regex AwsAccessKey();

    /// <summary>password/secret/key = value, in JSON, YAML, connection strings, shell and C#.</summary>
    [GeneratedRegex(@"(?i)\b(?:password|passwd|pwd|secret|client_?secret|api_?key|signing_?key)""?\s*[:=]\s*(?<value>""[^""\r\n]*""|'[^'\r\n]*'|[^\s;,""'}\)]+)")]
    private static partial Regex SecretAssignment();
}
