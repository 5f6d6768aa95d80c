/** Every document the dashboard sends must validate against the API's exported SDL. */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

import { buildSchema, parse, validate } from "graphql";
import { describe, expect, it } from "vitest";

import * as operations from "./operations";

const sdl = readFileSync(resolve(process.cwd(), "../graphql/api.graphql"), "utf8");
const schema = buildSchema(sdl);
const documents = Object.entries(operations).filter(([, value]) => typeof value === "string") as [string, string][];

describe("operations", () => {
  it("has documents", () => expect(documents.length).toBeGreaterThan(10));
  it.each(documents)("%s validates against graphql/api.graphql", (_, document) => {
    expect(validate(schema, parse(document)).map((error) => error.message)).toEqual([]);
  });
});
