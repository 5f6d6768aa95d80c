/** Every document the dashboard sends must validate against the API's exported SDL. */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

import { buildSchema, Kind, validate, type DocumentNode } from "graphql";
import { describe, expect, it } from "vitest";

import * as generated from "./generated";

const sdl = readFileSync(resolve(process.cwd(), "../graphql/api.graphql"), "utf8");
const schema = buildSchema(sdl);
const isDocument = (value: unknown): value is DocumentNode =>
  typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === Kind.DOCUMENT;
// The operations (`RulesDocument`...); each carries the fragments it spreads (`...FragmentDoc` are parts).
const documents = Object.entries(generated).filter(
  (entry): entry is [string, DocumentNode] => entry[0].endsWith("Document") && isDocument(entry[1]),
);

describe("operations", () => {
  it("has documents", () => expect(documents.length).toBeGreaterThan(10));
  it.each(documents)("%s validates against graphql/api.graphql", (_, document) => {
    expect(validate(schema, document).map((error) => error.message)).toEqual([]);
  });
  it.each(documents)("%s holds exactly one operation", (name, document) => {
    const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    expect(operations.map((o) => o.name?.value)).toEqual([name.replace(/Document$/, "")]);
  });
});
