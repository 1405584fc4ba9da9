import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { Id, Problem } from "@eskala/contracts";

export const IdParams = z.object({ id: Id });
export const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem };

/**
 * 410 Gone as application/problem+json, for an expired survey link. The closed AppError code set
 * has no `gone` yet, so expiry is a service outcome mapped here (see the channels report).
 */
export function sendGone(reply: FastifyReply, request: FastifyRequest, detail: string) {
  return reply.code(410).type("application/problem+json").send({
    type: "https://eskala.dev/problems/gone",
    title: "Gone",
    status: 410,
    code: "gone",
    detail,
    request_id: request.id,
  });
}
