using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Charging.Invoices;

internal sealed record PaymentCardRequest(string? Token);

internal sealed record InvoiceRunRequest(string? Period);

internal sealed record CreditNoteRequest(string? Reason, decimal? Amount);

internal sealed record LocalCardRequest(string? Number);

internal sealed record LocalCardResponse(string Token, string Brand, string Last4);

/// <summary>
/// <c>/api/v1/me/invoices</c>: the account's monthly charging invoices and credit notes, each as JSON and as PDF;
/// <c>/api/v1/me/payment-card</c>: the card the invoices are collected from (a payment provider's token, shown by its last four
/// digits); <c>/api/v1/admin/charging/…</c>: an invoice run for a month and credit notes; <c>/local-payments/v1/tokens</c>: the
/// local payment provider's card entry (only with <c>Charging:PaymentProvider = local</c>, outside Pitwall's API as a real provider's is).
/// </summary>
internal static class InvoiceEndpoints
{
    public static void MapInvoiceEndpoints(this IEndpointRouteBuilder routes)
    {
        var me = routes.MapGroup("/api/v1/me").WithTags("Charging Service");
        me.MapGet("/invoices", List).RequireAuthorization(Scopes.ReadAccount)
            .WithSummary("Your monthly charging invoices and credit notes, newest first.");
        me.MapGet("/invoices/{number}", Get).RequireAuthorization(Scopes.ReadAccount)
            .WithSummary("One invoice or credit note: customer, card (last four digits), each charge priced by its tariff, VAT per rate, total.");
        me.MapGet("/invoices/{number}.pdf", Pdf).RequireAuthorization(Scopes.ReadAccount)
            .WithSummary("One invoice or credit note as PDF.").Produces(StatusCodes.Status200OK, contentType: "application/pdf");
        me.MapGet("/payment-card", Card).RequireAuthorization(Scopes.ReadAccount)
            .WithSummary("The card your charging invoices are collected from: provider, brand and last four digits.");
        me.MapPut("/payment-card", SetCard).RequireAuthorization(Scopes.ControlAccount)
            .WithSummary("Set the card from the payment provider's token (the card number goes to the provider, never to Pitwall).");
        me.MapDelete("/payment-card", RemoveCard).RequireAuthorization(Scopes.ControlAccount).WithSummary("Remove the card.");

        var admin = routes.MapGroup("/api/v1/admin/charging").WithTags("Charging Service");
        admin.MapPost("/invoice-runs", Run).RequireAuthorization(Scopes.ControlAdmin)
            .WithSummary("Run the invoices of a month (default: the last closed one) and collect open payments; running it again issues nothing twice.");
        admin.MapGet("/invoice-runs", Runs).RequireAuthorization(Scopes.ReadAdmin)
            .WithSummary("The invoiced months of the last two years, newest first: invoices issued (first and last), total, payments, credit notes.");
        admin.MapPost("/invoices/{number}/credit-notes", Credit).RequireAuthorization(Scopes.ControlAdmin)
            .WithSummary("Correct an invoice with a credit note: all of it, or an amount including VAT.");
        admin.MapGet("/invoices/{number}", AdminGet).RequireAuthorization(Scopes.ReadAdmin).WithSummary("One invoice or credit note.");

        routes.MapPost("/local-payments/v1/tokens", Tokenize).AllowAnonymous().ExcludeFromDescription();
    }

    private static async Task<Ok<List<InvoiceSummary>>> List(ClaimsPrincipal user, IChargingInvoices invoices, CancellationToken cancellationToken) =>
        TypedResults.Ok((await invoices.ListAsync(user.AccountIdOf(), cancellationToken)).ToList());

    private static async Task<Results<Ok<InvoiceResponse>, ProblemHttpResult>> Get(string number, ClaimsPrincipal user, IChargingInvoices invoices,
        CancellationToken cancellationToken) =>
        await invoices.FindAsync(user.AccountIdOf(), number, cancellationToken) is { } invoice ? TypedResults.Ok(invoice) : ApiProblems.NotFound("invoice");

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Pdf(string number, ClaimsPrincipal user, IChargingInvoices invoices,
        CancellationToken cancellationToken) =>
        await invoices.PdfAsync(user.AccountIdOf(), number, cancellationToken) is { } pdf
            ? TypedResults.File(pdf, "application/pdf", number + ".pdf")
            : ApiProblems.NotFound("invoice");

    private static async Task<Results<Ok<PaymentCardResponse>, ProblemHttpResult>> Card(ClaimsPrincipal user, IChargingInvoices invoices, CancellationToken cancellationToken) =>
        await invoices.CardAsync(user.AccountIdOf(), cancellationToken) is { } card ? TypedResults.Ok(card) : ApiProblems.NotFound("payment card");

    private static async Task<Results<Ok<PaymentCardResponse>, ValidationProblem, ProblemHttpResult>> SetCard(
        PaymentCardRequest request, ClaimsPrincipal user, IChargingInvoices invoices, CancellationToken cancellationToken)
    {
        var (card, refusal) = await invoices.SetCardAsync(user.AccountIdOf(), request.Token, cancellationToken);
        return card is null ? ApiProblems.Refused<Ok<PaymentCardResponse>>(refusal!) : TypedResults.Ok(card);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveCard(ClaimsPrincipal user, IChargingInvoices invoices, CancellationToken cancellationToken) =>
        await invoices.RemoveCardAsync(user.AccountIdOf(), cancellationToken) ? TypedResults.NoContent() : ApiProblems.NotFound("payment card");

    private static async Task<Results<Ok<InvoiceRunResult>, ValidationProblem, ProblemHttpResult>> Run(
        InvoiceRunRequest? request, IInvoiceRuns runs, CancellationToken cancellationToken)
    {
        var (result, refusal) = await runs.RunAsync(request?.Period, cancellationToken);
        return result is null ? ApiProblems.Refused<Ok<InvoiceRunResult>>(refusal!) : TypedResults.Ok(result);
    }

    private static async Task<Ok<IReadOnlyList<InvoiceRunSummary>>> Runs(IInvoiceRuns runs, CancellationToken cancellationToken) =>
        TypedResults.Ok(await runs.RecentAsync(24, cancellationToken));

    private static async Task<Results<Created<InvoiceResponse>, ValidationProblem, ProblemHttpResult>> Credit(
        string number, CreditNoteRequest request, CreditNotes notes, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Trim().Length > 500)
        {
            errors.Add("reason", "Say why the invoice is corrected (1 to 500 characters).");
        }
        if (request.Amount is <= 0 || request.Amount is { } a && decimal.Round(a, 2) != a)
        {
            errors.Add("amount", "The amount including VAT is positive, in cents at most; leave it out to credit the whole invoice.");
        }
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }
        var (note, refusal) = await notes.IssueAsync(number, request.Reason!.Trim(), request.Amount, cancellationToken);
        return note is null ? ApiProblems.Problem(refusal!) : TypedResults.Created($"/api/v1/admin/charging/invoices/{note.Number}", note.ToResponse());
    }

    private static async Task<Results<Ok<InvoiceResponse>, ProblemHttpResult>> AdminGet(string number, InvoiceStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(number, cancellationToken) is { } invoice ? TypedResults.Ok(invoice.ToResponse()) : ApiProblems.NotFound("invoice");

    private static Results<Ok<LocalCardResponse>, ProblemHttpResult> Tokenize(LocalCardRequest request, IOptions<ChargingOptions> options)
    {
        if (options.Value.PaymentProvider != LocalPaymentProvider.ProviderName)
        {
            return ApiProblems.NotFound("local payment provider");
        }
        if (LocalPaymentProvider.Tokenize(request.Number) is not { } token)
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, "Not a card number.");
        }
        var info = LocalPaymentProvider.Describe(token)!;
        return TypedResults.Ok(new LocalCardResponse(token, info.Brand, info.Last4));
    }
}
