import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { AppError, ERROR_STATUS, type ErrorCode, type FieldError } from "../lib/app-error.ts";
import { appErrorFromDatabase } from "./database-errors.ts";

/** The field errors one problem lists at most. */
const MAX_FIELD_ERRORS = 50;

const TITLES: Record<ErrorCode, string> = {
  malformed_request: "Malformed request",
  unauthenticated: "Authentication required",
  csrf_failed: "CSRF token missing or wrong",
  forbidden: "Forbidden",
  not_found: "Not found",
  conflict: "Conflict",
  invalid_transition: "Invalid status transition",
  version_conflict: "The resource changed meanwhile",
  gone: "Gone",
  payload_too_large: "Payload too large",
  uri_too_long: "URI too long",
  unsupported_media_type: "Unsupported media type",
  validation_failed: "Validation failed",
  rate_limited: "Too many requests",
  headers_too_large: "Request headers too large",
  internal: "Internal server error",
  unavailable: "Service unavailable",
};

export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  code: ErrorCode,
  detail: string,
  errors?: FieldError[],
): FastifyReply {
  const status = ERROR_STATUS[code];
  return reply
    .code(status)
    .type("application/problem+json")
    .send({
      type: `https://eskala.dev/problems/${code.replaceAll("_", "-")}`,
      title: TITLES[code],
      status,
      code,
      detail,
      request_id: request.id,
      ...(errors ? { errors } : {}),
    });
}

/** The one place where errors become application/problem+json. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) return sendProblem(reply, request, error.code, error.message, error.errors);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? "body";
      const errors = error.validation.flatMap((v) => {
        const path = v.instancePath
          .split("/")
          .filter(Boolean)
          .map((p: string) => (/^\d+$/.test(p) ? Number(p) : p));
        const keys = (v.params as { keys?: string[] }).keys;
        // An unknown field is named on its own path, so a client sees exactly which key to drop.
        if (v.keyword === "unrecognized_keys" && keys)
          return keys.map((k) => ({ path: [...path, k], message: "unknown field", in: where }));
        return [{ path, message: v.message ?? "invalid", in: where }];
      });
      if (where === "params") return sendProblem(reply, request, "not_found", "No such resource", errors);
      // A client learns enough from the first few; a body of thousands of bad fields gets no answer as large.
      const shown = errors.slice(0, MAX_FIELD_ERRORS);
      const more = errors.length - shown.length;
      const names = shown.map((e) => e.path.join(".") || where).join(", ") + (more > 0 ? ` and ${more} more` : "");
      return sendProblem(reply, request, "validation_failed", `Invalid ${where}: ${names}`, shown);
    }
    switch (error.code) {
      case "FST_ERR_CTP_INVALID_JSON_BODY":
      case "FST_ERR_CTP_EMPTY_JSON_BODY":
        return sendProblem(reply, request, "malformed_request", "The body is not valid JSON");
      case "FST_ERR_CTP_BODY_TOO_LARGE":
        return sendProblem(reply, request, "payload_too_large", "The body is larger than the limit");
      case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
        return sendProblem(reply, request, "unsupported_media_type", "Send application/json");
    }
    if (error.statusCode === 429) return sendProblem(reply, request, "rate_limited", error.message);
    const fromDatabase = appErrorFromDatabase(error);
    if (fromDatabase) {
      request.log.warn({ err: error }, "request refused by a database constraint");
      return sendProblem(reply, request, fromDatabase.code, fromDatabase.message, fromDatabase.errors);
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendProblem(reply, request, "malformed_request", error.message);
    }
    request.log.error({ err: error }, "unhandled error");
    return sendProblem(reply, request, "internal", `Something went wrong. Quote request id ${request.id}.`);
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, request, "not_found", `No route ${request.method} ${request.url.split("?")[0]}`),
  );
}

/** Errors the router answers before any route (a URL that does not decode, a parameter too long). */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === "FST_ERR_MAX_PARAM_LENGTH")
    void sendProblem(reply, request, "uri_too_long", "A path segment of the URL is longer than the limit");
  else if (error.code === "FST_ERR_BAD_URL")
    void sendProblem(reply, request, "malformed_request", "The URL is not valid percent-encoding");
  else void sendProblem(reply, request, "malformed_request", error.message);
}

/**
 * Errors Node's HTTP parser meets before there is a request (headers or URL over the size limit,
 * a malformed request line, a timeout): answered as problem+json on the socket, then closed.
 */
export function handleClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const [status, code, detail]: [number, string, string] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? [431, "headers_too_large", "The request line and headers are larger than the limit"]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "request_timeout", "The request took too long to arrive"]
        : [400, "malformed_request", "The request is not valid HTTP"];
  const body = JSON.stringify({
    type: `https://eskala.dev/problems/${code.replaceAll("_", "-")}`,
    title: STATUS_CODES[status],
    status,
    code,
    detail,
  });
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  socket.destroy(error);
}
