import { describe, expect, it } from "vitest";

import { formToSpec, specToForm } from "./ruleSpec";
import { validateRuleForm } from "./validation";
import { emptyVariant, validateVariants, variantsFromSpec, variantsToSpec, type VariantForm } from "./variants";

const stored = {
  kind: "bump",
  name: "Case test",
  enabled: true,
  priority: 0,
  starts_at: null,
  ends_at: null,
  trigger: { variant_ids: [], product_ids: ["UHJvZHVjdDox"], category_ids: [], collection_ids: [], min_subtotal: null, channels: ["default-channel"] },
  offer_variant_id: "UHJvZHVjdFZhcmlhbnQ6Mg==",
  price: { type: "percent_off", percent: "15" },
  copy: { headline: "Protect it", reason: "Fits", badge: null },
  max_quantity: 1,
  variants: [
    { name: "A", weight: 1, offer_variant_id: null, price: null, copy: null },
    {
      name: "B",
      weight: 3,
      offer_variant_id: "UHJvZHVjdFZhcmlhbnQ6Mw==",
      price: { type: "fixed", amounts: { USD: "9.99" } },
      copy: { headline: "Keep it safe", reason: "Shock-proof", badge: "New" },
    },
  ],
};

const variant = (patch: Partial<VariantForm>): VariantForm => ({ ...emptyVariant([]), ...patch });

describe("A/B variants", () => {
  it("round-trip: a stored bump with variants comes back unchanged through the form", () => {
    const form = specToForm(stored);
    expect(form.variants).toHaveLength(2);
    expect(form.variants[1]).toMatchObject({ name: "B", weight: "3", offerVariantId: "UHJvZHVjdFZhcmlhbnQ6Mw==", priceType: "fixed", amounts: { USD: "9.99" }, headline: "Keep it safe", badge: "New" });
    expect(form.variants[0]).toMatchObject({ name: "A", offerVariantId: "", priceType: "", headline: "" });
    expect(formToSpec(form, ["USD"])).toEqual(stored);
    expect(validateRuleForm(form, ["USD"])).toEqual({});
  });

  it("writes only what a variant changes; a rule without variants sends none", () => {
    expect(variantsToSpec([variant({ name: " C ", weight: "2", priceType: "percent_off", percent: " 20 " })])).toEqual([
      { name: "C", weight: 2, offer_variant_id: null, price: { type: "percent_off", percent: "20" }, copy: null },
    ]);
    expect(formToSpec(specToForm({ ...stored, variants: [] }), ["USD"])).not.toHaveProperty("variants");
    expect(variantsFromSpec(undefined)).toEqual([]);
    expect(specToForm({ ...stored, kind: "upgrade" }).variants).toEqual([]);
  });

  it("names new variants A, B, C…", () => {
    const a = emptyVariant([]);
    const b = emptyVariant([a]);
    expect([a.name, b.name, emptyVariant([a, b]).name]).toEqual(["A", "B", "C"]);
  });

  it("accepts weights of 0 or more, whole, and needs one above 0", () => {
    const check = (weights: string[]) => validateVariants(weights.map((weight, i) => variant({ name: `V${i}`, weight })), ["USD"]);
    expect(check(["0", "1"])).toEqual({ fields: [{}, {}], overall: undefined });
    expect(check(["-1", "1"]).fields[0]?.weight).toMatch(/0 to 1000/);
    expect(check(["1.5", "1"]).fields[0]?.weight).toBeDefined();
    expect(check(["1001", "1"]).fields[0]?.weight).toBeDefined();
    expect(check(["0", "0"]).overall).toMatch(/weight above 0/);
    expect(check(["1"]).overall).toMatch(/at least two variants/);
  });

  it("checks names, prices and copy like the server, and blocks the save", () => {
    const { fields } = validateVariants(
      [
        variant({ name: "holdout" }),
        variant({ name: "B", priceType: "percent_off", percent: "100", headline: "Only a headline" }),
        variant({ name: "b", priceType: "fixed", amounts: {}, offerVariantId: "in-cart" }),
      ],
      ["USD"],
      ["in-cart"],
    );
    expect(fields[0]?.name).toMatch(/reserved/);
    expect(fields[1]).toMatchObject({ percent: expect.any(String), reason: expect.any(String) });
    expect(fields[2]).toMatchObject({ name: "Another variant has this name", amounts: expect.stringMatching(/^USD/), offerVariantId: expect.any(String) });
    const form = { ...specToForm(stored), variants: [variant({ name: "A", weight: "-2" }), variant({ name: "B" })] };
    expect(validateRuleForm(form, ["USD"]).variants).toBe("Check variant A");
  });
});
