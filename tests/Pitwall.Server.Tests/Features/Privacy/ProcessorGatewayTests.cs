using System.Diagnostics.Metrics;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.Notifications.Channels;
using Pitwall.Server.Features.Privacy;
using Pitwall.Server.Features.Privacy.Processors;
using Pitwall.Server.Tests.Features.Notifications.Channels;
using Pitwall.Server.Tests.Hosting;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Privacy;

/// <summary>P4: the processor gateway releases to each processor what its declaration names, and nothing else.</summary>
public sealed class ProcessorGatewayTests : IDisposable
{
    private const string Vin = "WP0ZZZ99ZTS392124";
    private readonly ServiceProvider _services;

    public ProcessorGatewayTests()
    {
        _services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Debug).AddProvider(Logs)).AddProcessorGateway().BuildServiceProvider();
        Gateway = _services.GetRequiredService<ProcessorGateway>();
    }

    private CapturedLogs Logs { get; } = new();

    private ProcessorGateway Gateway { get; }

    public void Dispose() => _services.Dispose();

    /// <summary>Everything a notification delivery could offer, with a VIN and a position in its text.</summary>
    private static OutboundData Everything(string text = $"Your car {Vin} is at 48.77580, 9.18290.") => new()
    {
        { DataElement.MessageId, "delivery-1" },
        { DataElement.NotificationType, "valet.speed_exceeded" },
        { DataElement.Title, "Valet alarm" },
        { DataElement.Text, text },
        { DataElement.Time, DateTimeOffset.UnixEpoch },
        { DataElement.Vin, Vin },
        { DataElement.Position, "48.7758,9.1829" },
        { DataElement.DeviceToken, "device-token-1" },
        { DataElement.PhoneNumber, "+4917612345678" },
        { DataElement.EmailAddress, "owner@example.com" },
        { DataElement.WebhookUrl, "https://hooks.example.com/pitwall" },
        { DataElement.TileCoordinates, "3/4/2" },
    };

    public static TheoryData<string> NotificationProcessorNames => [.. NotificationProcessors.All.Select(p => p.Name)];

    [Theory]
    [MemberData(nameof(NotificationProcessorNames))]
    public void Each_notification_processor_gets_exactly_its_declared_elements(string name)
    {
        var processor = NotificationProcessors.All.Single(p => p.Name == name);
        var released = Gateway.Release(processor, Everything());

        Assert.True(released.IsFor(processor));
        Assert.Equal(processor.Elements.Order(), released.Values.Keys.Order());
        foreach (var element in Everything().Values.Keys.Where(e => !processor.MayReceive(e)))
        {
            Assert.Null(released[element]);
            Assert.Equal(1, Gateway.StrippedCount(processor, element, StripKind.Dropped));
        }
    }

    [Fact]
    public void Push_sms_and_email_get_no_vin_and_no_position_not_even_in_the_text_and_webhooks_get_the_vin()
    {
        foreach (var processor in new[] { NotificationProcessors.Fcm, NotificationProcessors.Apns, NotificationProcessors.SmsGateway, NotificationProcessors.EmailRelay })
        {
            var released = Gateway.Release(processor, Everything());
            Assert.Null(released[DataElement.Vin]);
            Assert.Equal("Your car [VIN removed] is at [position removed].", released[DataElement.Text]);
            Assert.DoesNotContain(released.Values.Values, v => v.Contains(Vin, StringComparison.Ordinal) || v.Contains("48.7758", StringComparison.Ordinal));
            Assert.Equal(1, Gateway.StrippedCount(processor, DataElement.Text, StripKind.VinRedacted));
            Assert.Equal(1, Gateway.StrippedCount(processor, DataElement.Text, StripKind.PositionRedacted));
        }

        var webhook = Gateway.Release(NotificationProcessors.WebhookReceivers, Everything());
        Assert.Equal(Vin, webhook[DataElement.Vin]);
        // The account's own receivers may know the car, not where it is.
        Assert.Equal($"Your car {Vin} is at [position removed].", webhook[DataElement.Text]);
        Assert.Null(webhook[DataElement.Position]);
        Assert.Equal(DateTimeOffset.UnixEpoch, webhook.TimeOf(DataElement.Time));
    }

    [Fact]
    public void The_map_tile_provider_gets_the_tile_coordinates_only()
    {
        var released = Gateway.Release(PortalProcessors.MapTiles, Everything());
        Assert.Equal([DataElement.TileCoordinates], released.Values.Keys);
        Assert.Equal("3/4/2", released[DataElement.TileCoordinates]);
    }

    [Theory]
    [InlineData("Car WP0ZZZ99ZTS392124 alarm", "Car [VIN removed] alarm")]
    [InlineData("vin: wp0zzz99zts392124.", "vin: [VIN removed].")]
    [InlineData("(1HGCM82633A004352)", "([VIN removed])")]
    [InlineData("at 48.77580, 9.18290 now", "at [position removed] now")]
    [InlineData("at 48.7758,9.1829", "at [position removed]")]
    [InlineData("geo:-33.86882;151.20929", "geo:[position removed]")]
    [InlineData("48.7758°N 9.1829°E", "[position removed]")]
    [InlineData("48.7758 N, 9.1829 E", "[position removed]")]
    [InlineData("[9.18290, 48.77580]", "[[position removed]]")]
    [InlineData("48°46'33\"N 9°10'58\"E", "[position removed]")]
    [InlineData("lat=48.77 lon=9.18", "lat=[position removed] lon=[position removed]")]
    [InlineData("Latitude: 48.7 Longitude: 9.1", "Latitude: [position removed] Longitude: [position removed]")]
    public void Vins_and_positions_in_free_text_are_redacted(string text, string expected)
    {
        var released = Gateway.Release(NotificationProcessors.SmsGateway, new OutboundData { { DataElement.Text, text } });
        Assert.Equal(expected, released[DataElement.Text]);
    }

    [Theory]
    [InlineData("Valet alarm: your car is driving at 80 km/h, above the limit you set.")]
    [InlineData("Charging stopped at 80 %; 11.5 kW, 7.40 EUR.")]
    [InlineData("Connect Care ends on 2026-03-01. Renew it in the app.")]
    [InlineData("Prices 12.50, 13.75 and 1.5, 2.5")]
    [InlineData("Order ABCDEFGHJKLMNPRST has no digit; 12345678901234567 has no letter")]
    [InlineData("Version 1.2.345 released")]
    [InlineData("Ladevorgang gestoppt – Stecker prüfen")]
    [InlineData("After a long 20 km trip the lateral 3 sensors are fine.")]
    public void Text_without_a_vin_or_a_position_is_left_alone(string text)
    {
        var released = Gateway.Release(NotificationProcessors.SmsGateway, new OutboundData { { DataElement.Text, text }, { DataElement.Title, text } });
        Assert.Equal(text, released[DataElement.Text]);
        Assert.Equal(text, released[DataElement.Title]);
        Assert.Empty(Gateway.Stripped());
    }

    [Fact]
    public void Each_strip_is_counted_on_the_meter_and_logged_without_content()
    {
        var measured = new List<(long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        var meters = _services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // This gateway's meter only: other tests' gateways count at the same time.
            if (instrument.Meter.Name == ProcessorGateway.MeterName && instrument.Name == ProcessorGateway.StrippedCounterName &&
                ReferenceEquals(instrument.Meter.Scope, meters))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            lock (measured)
            {
                measured.Add((value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
            }
        });
        listener.Start();

        Gateway.Release(NotificationProcessors.Fcm, Everything());

        Assert.Contains(measured, m => m.Tags["processor"] as string == NotificationProcessors.Fcm.Name && m.Tags["element"] as string == "Vin" &&
                                       m.Tags["kind"] as string == "dropped");
        Assert.Contains(measured, m => m.Tags["element"] as string == "Text" && m.Tags["kind"] as string == "vin_redacted");
        Assert.Contains(measured, m => m.Tags["element"] as string == "Text" && m.Tags["kind"] as string == "position_redacted");
        Assert.Equal(Gateway.Stripped().Sum(s => s.Count), measured.Sum(m => m.Value));
        // One line per strip, naming processor and element, never the content.
        Assert.Equal(measured.Count, Logs.Lines.Count(l => l.Contains("Processor gateway", StringComparison.Ordinal)));
        Assert.Contains(Logs.Lines, l => l.Contains("redacted 1 VIN from the Text for Google Firebase Cloud Messaging", StringComparison.Ordinal));
        foreach (var secret in new[] { Vin, "48.7758", "+4917612345678", "owner@example.com", "hooks.example.com", "device-token-1" })
        {
            Assert.DoesNotContain(Logs.Lines, l => l.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task A_channel_refuses_a_message_released_for_another_processor()
    {
        using var host = ChannelHost.Start(("Sms:Url", "http://127.0.0.1:9/sms"), ("Sms:ApiKey", "key"));
        var forPush = TestMessages.For(NotificationProcessors.Fcm, "d-1", "charging.error", "t", "b", DateTimeOffset.UnixEpoch, "+4917612345678");
        var refused = Assert.IsType<DeliveryOutcome.Failed>(await host.Channel(NotificationChannels.Sms).SendAsync(forPush, CancellationToken.None));
        Assert.Contains("not released for the SMS gateway", refused.Reason, StringComparison.Ordinal);
        var webhook = Assert.IsType<DeliveryOutcome.Failed>(await host.Channel(NotificationChannels.Webhook).SendAsync(forPush, CancellationToken.None));
        Assert.Contains("not released", webhook.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Released_data_can_only_come_from_the_gateway()
    {
        var type = typeof(ProcessorGateway.ReleasedData);
        Assert.True(type.IsSealed);
        Assert.Empty(type.GetConstructors(BindingFlags.Public | BindingFlags.Instance));
        Assert.All(type.GetConstructors(BindingFlags.NonPublic | BindingFlags.Instance), c => Assert.True(c.IsPrivate));
        Assert.DoesNotContain(type.GetMethods(BindingFlags.Public | BindingFlags.Static), m => m.ReturnType == type);
        // The channels' message is made from released data only.
        Assert.All(typeof(OutgoingMessage).GetConstructors(), c => Assert.Contains(c.GetParameters(), p => p.ParameterType == type));
    }

    [Fact]
    public async Task The_http_handler_removes_cookies_referer_forwarding_and_tracing_headers_and_sets_a_neutral_user_agent()
    {
        await using var peer = await LoopbackPeer.StartAsync((_, context, _) => { context.Response.StatusCode = 204; return Task.CompletedTask; });
        var services = new ServiceCollection();
        services.AddHttpClient("processor").ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler()).AddProcessorGateway();
        await using var provider = services.BuildServiceProvider();
        // An ambient trace, as inside a web request: its id must not reach the provider.
        using var source = new System.Diagnostics.ActivitySource("pitwall-test-trace");
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = s => s.Name == source.Name,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        using var activity = source.StartActivity("request");
        Assert.NotNull(activity);

        using var request = new HttpRequestMessage(HttpMethod.Get, peer.Url("tile"));
        foreach (var (name, value) in new[]
                 {
                     ("Cookie", "pitwall.portal=secret"), ("Referer", $"https://portal.example/vehicles/{Vin}"), ("Origin", "https://portal.example"),
                     ("X-Forwarded-For", "203.0.113.7"), ("Forwarded", "for=203.0.113.7"), ("X-Real-IP", "203.0.113.7"), ("From", "owner@example.com"),
                     ("User-Agent", "Mozilla/5.0 BrowserTest"), ("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
                 })
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        using var response = await provider.GetRequiredService<IHttpClientFactory>().CreateClient("processor").SendAsync(request);

        var received = Assert.Single(peer.Requests);
        Assert.Equal(ProcessorHttp.UserAgent, received.Header("user-agent"));
        Assert.Matches(@"^Pitwall/\d+\.\d+", received.Header("user-agent"));
        foreach (var header in new[] { "cookie", "referer", "origin", "x-forwarded-for", "forwarded", "x-real-ip", "from", "traceparent", "tracestate", "request-id" })
        {
            Assert.False(received.Headers.ContainsKey(header), $"the provider got a {header} header: {received.Header(header)}");
        }
        Assert.DoesNotContain(received.Headers.Values, v => v.Contains(activity.TraceId.ToHexString(), StringComparison.Ordinal));
    }

    /// <summary>Every processor declared in the code, as a static field or in a static list.</summary>
    private static IEnumerable<Processor> DeclaredProcessors()
    {
        var fields = typeof(ProcessorGateway).Assembly.GetTypes().Where(t => !t.ContainsGenericParameters)
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static));
        foreach (var field in fields)
        {
            if (field.FieldType == typeof(Processor))
            {
                if (field.GetValue(null) is Processor processor)
                {
                    yield return processor;
                }
            }
            else if (typeof(IEnumerable<Processor>).IsAssignableFrom(field.FieldType) && field.GetValue(null) is IEnumerable<Processor> list)
            {
                foreach (var processor in list)
                {
                    yield return processor;
                }
            }
        }
    }

    [Fact]
    public void Every_processor_declared_in_the_code_names_the_elements_it_may_receive()
    {
        var processors = DeclaredProcessors().ToList();
        Assert.Contains(PortalProcessors.MapTiles, processors);
        Assert.Contains(NotificationProcessors.Fcm, processors);
        var silent = processors.Where(p => p.Elements.Count == 0).Select(p => p.Name).Distinct().ToList();
        Assert.True(silent.Count == 0, $"Processors declared without data elements (P4): {string.Join(", ", silent)}");
    }

    [Fact]
    public void A_processor_declared_without_elements_gets_nothing_and_is_caught()
    {
        var careless = new Processor("Careless partner", "whatever", true);
        Assert.Empty(careless.Elements);
        Assert.Empty(Gateway.Release(careless, Everything()).Values);
        Assert.Contains("nothing (no elements declared)", PrivacyRegisterDocument.Render([new DataCategory(
            "x", "X", "x", LegalBasis.Contract, Retention.UntilAccountDeletion, false, [new CategoryTable("x")], [careless])]), StringComparison.Ordinal);
    }
}

/// <summary>The register the running server publishes: every processor of every category declares its elements, and the
/// document and the API list them.</summary>
public sealed class ProcessorDeclarationTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    [Fact]
    public void Every_processor_in_the_register_names_the_elements_it_may_receive()
    {
        var register = server.Get<DataCategoryRegister>();
        var processors = register.All.SelectMany(c => c.Processors).ToList();
        Assert.NotEmpty(processors);
        var silent = processors.Where(p => p.Elements.Count == 0).Select(p => p.Name).Distinct().ToList();
        Assert.True(silent.Count == 0, $"Processors in the register without data elements (P4): {string.Join(", ", silent)}");
    }

    [Fact]
    public async Task The_register_document_and_the_api_list_each_processors_elements()
    {
        var document = PrivacyRegisterDocument.Render(server.Get<DataCategoryRegister>().All);
        Assert.Contains("| Google Firebase Cloud Messaging | message id, notification type, title, text, device token | may be |", document, StringComparison.Ordinal);
        Assert.Contains("| The account's own webhook receivers | message id, notification type, title, text, time, webhook URL, VIN | may be |", document, StringComparison.Ordinal);

        var category = await (await server.Client.GetAsync("/api/v1/privacy/data-categories/notifications")).JsonAsync();
        var sms = category.GetProperty("processors").EnumerateArray().Single(p => p.GetProperty("name").GetString() == NotificationProcessors.SmsGateway.Name);
        Assert.Equal(["message_id", "title", "text", "phone_number"], sms.GetProperty("elements").EnumerateArray().Select(e => e.GetString()));
        var tiles = await (await server.Client.GetAsync("/api/v1/privacy/data-categories/vehicle_status")).JsonAsync();
        Assert.Contains(tiles.GetProperty("processors").EnumerateArray(),
            p => p.GetProperty("elements").EnumerateArray().Select(e => e.GetString()).SequenceEqual(["tile_coordinates"]));
    }
}
