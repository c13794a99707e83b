using AssetRecovery.Messaging;
using Npgsql;

namespace AssetRecovery.UnitTests;

public class ServicesConnectionStringTests
{
    private const string Configured = "Host=db;Database=assetrecovery;Username=app;Maximum Pool Size=50";

    [Fact]
    public void Connections_prepare_their_frequent_statements_keep_their_state_and_compress_large_json_with_lz4()
    {
        var services = new NpgsqlConnectionStringBuilder(MessagingSetup.ServicesConnectionString(Configured));

        Assert.Equal(64, services.MaxAutoPrepare);
        Assert.True(services.NoResetOnClose);
        Assert.Equal("-c default_toast_compression=lz4", services.Options);
        Assert.Equal(("db", "assetrecovery", "app", 50), (services.Host, services.Database, services.Username, services.MaxPoolSize));
    }

    [Theory]
    [InlineData("Max Auto Prepare=0", 0)]
    [InlineData("MaxAutoPrepare=10", 10)]
    [InlineData("max auto prepare=200", 200)]
    public void A_connection_string_that_sets_statement_preparation_keeps_its_own_value(string setting, int expected)
    {
        var services = new NpgsqlConnectionStringBuilder(MessagingSetup.ServicesConnectionString($"{Configured};{setting}"));

        Assert.Equal(expected, services.MaxAutoPrepare);
    }

    [Fact]
    public void Options_the_connection_string_already_gives_are_kept_beside_lz4()
    {
        var services = new NpgsqlConnectionStringBuilder(MessagingSetup.ServicesConnectionString($"{Configured};Options=-c statement_timeout=5000"));

        Assert.Equal("-c statement_timeout=5000 -c default_toast_compression=lz4", services.Options);
    }
}
