package dev.tlab.contracts.api;

/**
 * The JSON body of every error answer of every service: the HTTP status, the field to blame ({@code $} for the whole
 * body or request, {@code id} for a path parameter, a dotted path such as {@code hyperParameters.epochs} inside a body)
 * and why, in words a user can act on. The services answer it through the {@code rest-errors} module's mapper; clients
 * ({@code lab-cli}) read it with this record.
 */
public record ApiError(int status, String field, String reason) {}
