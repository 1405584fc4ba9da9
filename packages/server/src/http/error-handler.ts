import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { AppError, ERROR_STATUS, type ErrorCode, type FieldError } from "../lib/app-error.ts";

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
  unsupported_media_type: "Unsupported media type",
  validation_failed: "Validation failed",
  rate_limited: "Too many requests",
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
      const names = errors.map((e) => e.path.join(".") || where).join(", ");
      return sendProblem(reply, request, "validation_failed", `Invalid ${where}: ${names}`, errors);
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
