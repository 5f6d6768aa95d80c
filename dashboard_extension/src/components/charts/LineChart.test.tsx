import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { LineChart, labelStep, leftPad } from "./LineChart";

describe("LineChart", () => {
  it("leaves room for the widest y label", () => {
    expect(leftPad(["$0.00", "$1,250.00"])).toBeGreaterThanOrEqual(6 * "$1,250.00".length);
    expect(leftPad(["0%"])).toBe(36);
  });
  it("thins x labels so that they never overlap", () => {
    const weeks = Array.from({ length: 52 }, (_, i) => `Nov ${(i % 28) + 1}`);
    const step = labelStep(weeks, 500);
    const shown = Math.ceil(weeks.length / step);
    expect(step).toBeGreaterThan(1);
    expect(shown * (6 * 6 + 12)).toBeLessThanOrEqual(500);
    expect(labelStep(["Mar 2", "Mar 9"], 500)).toBe(1);
  });
  it("draws every label inside the picture", () => {
    const labels = ["Nov 2", "Nov 9", "Nov 16", "Nov 23"];
    const { container } = render(
      <LineChart title="Revenue" labels={labels} series={[{ name: "a", values: [1, 2000, null, 3] }]} format={(v) => `$${v.toFixed(2)}`} />,
    );
    const texts = [...container.querySelectorAll("text")];
    expect(texts.map((t) => t.textContent)).toEqual(expect.arrayContaining(["$2000.00", ...labels]));
    for (const text of texts.filter((t) => t.getAttribute("text-anchor") === "end")) {
      expect(Number(text.getAttribute("x")) - 6 * (text.textContent ?? "").length).toBeGreaterThanOrEqual(0);
    }
    const last = texts.find((t) => t.textContent === "Nov 23");
    expect(Number(last?.getAttribute("x")) + 3 * "Nov 23".length).toBeLessThanOrEqual(560);
  });
});
