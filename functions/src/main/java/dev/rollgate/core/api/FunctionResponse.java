package dev.rollgate.core.api;

/** What a function answers: an HTTP-style status and a JSON body. */
public record FunctionResponse(int status, String body) {}
