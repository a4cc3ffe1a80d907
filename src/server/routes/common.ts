// Pieces every route file shares: error responses for the document, and reading an item's version from If-Match.
import { z } from "@hono/zod-openapi";
import { invalid } from "../../core/errors.js";
import { versionFromIfMatch } from "../presenters.js";
import { ProblemSchema } from "../schemas.js";

const problemContent = { "application/problem+json": { schema: ProblemSchema } };

export const errors = {
  400: { description: "Invalid input: `errors` names each field and what is wrong", content: problemContent },
  401: { description: "Not signed in, or the API token is unknown or revoked", content: problemContent },
  403: {
    description: "Signed in, but the roles held do not allow this (or a missing CSRF token)",
    content: problemContent,
  },
  404: { description: "Not found", content: problemContent },
} as const;
export const conflictErrors = {
  ...errors,
  409: {
    description: "Changed by someone else since the given version; `current` is the item now",
    content: problemContent,
  },
  428: { description: "No version given: send If-Match or a `version` field", content: problemContent },
} as const;

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T, description = "") => ({
  body: { required: true, description, content: { "application/json": { schema } } },
});

export const ItemParam = z.object({
  item: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "item", in: "path" }, example: "DPT-42", description: "Item id or key" }),
});
export const ArtParam = z.object({
  art: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "art", in: "path" }, example: "DPT", description: "ART id or key" }),
});

export const IfMatchHeader = z.object({
  "if-match": z
    .string()
    .max(100)
    .optional()
    .openapi({ description: 'The item version the change was made on, e.g. "3"' }),
});

export function ifMatchVersion(header: string | undefined): number | undefined {
  const v = versionFromIfMatch(header);
  if (Number.isNaN(v)) {
    throw invalid("If-Match", 'expected an item ETag such as "3"');
  }
  return v;
}
